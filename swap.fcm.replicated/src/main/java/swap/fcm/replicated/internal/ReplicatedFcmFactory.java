package swap.fcm.replicated.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.hotswap.ComponentFactory;

/**
 * The factory service of the replicated FCM: {@code swap.component=fcm},
 * {@code swap.impl=replicated}, {@code fcm.optimized.for=concurrent}. Each instance it makes is
 * unopened, has a representative per available processor, takes its frames from the container's
 * frame pool, and offers both the canonical protocol and the by-reference one.
 */
@Component(service = ComponentFactory.class, property = {
        "swap.component=" + FcmProperties.COMPONENT,
        "swap.impl=replicated",
        FcmProperties.OPTIMIZED_FOR + "=" + FcmProperties.CONCURRENT})
public class ReplicatedFcmFactory implements ComponentFactory<FileCacheManager> {

    private final FramePool pool;

    @Activate
    public ReplicatedFcmFactory(@Reference(name = "pool") FramePool pool) {
        this.pool = pool;
    }

    @Override
    public FileCacheManager create() {
        return new ReplicatedFcm(pool);
    }
}

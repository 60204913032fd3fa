package swap.fcm.mru.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.hotswap.ComponentFactory;

/**
 * The factory service of the MRU FCM: {@code swap.component=fcm}, {@code swap.impl=mru},
 * {@code fcm.optimized.for=sequential}. Each instance it makes is unopened, takes its frames from
 * the container's frame pool and holds at most {@value MruFcm#DEFAULT_WINDOW} of them.
 */
@Component(service = ComponentFactory.class, property = {
        "swap.component=" + FcmProperties.COMPONENT,
        "swap.impl=mru",
        FcmProperties.OPTIMIZED_FOR + "=" + FcmProperties.SEQUENTIAL})
public class MruFcmFactory implements ComponentFactory<FileCacheManager> {

    private final FramePool pool;

    @Activate
    public MruFcmFactory(@Reference(name = "pool") FramePool pool) {
        this.pool = pool;
    }

    @Override
    public FileCacheManager create() {
        return new MruFcm(pool);
    }
}

package swap.fcm.shared.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.hotswap.ComponentFactory;

/**
 * The factory service of the shared FCM: {@code swap.component=fcm}, {@code swap.impl=shared},
 * {@code fcm.optimized.for=exclusive}. Each instance it makes is unopened and takes its frames
 * from the container's frame pool. It ranks 1 (the other FCM factories rank 0), so that a cache
 * opened without a filter is K42's default, the shared FCM, whichever factory registered first.
 */
@Component(service = ComponentFactory.class, property = {
        "swap.component=" + FcmProperties.COMPONENT,
        "swap.impl=shared",
        "service.ranking:Integer=1",
        FcmProperties.OPTIMIZED_FOR + "=" + FcmProperties.EXCLUSIVE})
public class SharedFcmFactory implements ComponentFactory<FileCacheManager> {

    private final FramePool pool;

    @Activate
    public SharedFcmFactory(@Reference(name = "pool") FramePool pool) {
        this.pool = pool;
    }

    @Override
    public FileCacheManager create() {
        return new SharedFcm(pool);
    }
}

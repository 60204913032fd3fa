package swap.fcm.workload;

import java.util.function.Function;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.mru.internal.MruFcm;
import swap.fcm.replicated.internal.ReplicatedFcm;
import swap.fcm.shared.internal.SharedFcm;

/** The three real FCMs, made directly on the plain class path (their packages are internal to their bundles). */
enum Fcms {
    SHARED(SharedFcm::new),
    MRU(MruFcm::new),
    REPLICATED(ReplicatedFcm::new);

    private final Function<FramePool, FileCacheManager> make;

    Fcms(Function<FramePool, FileCacheManager> make) {
        this.make = make;
    }

    /** A new, unopened instance drawing on {@code pool}. */
    FileCacheManager unopened(FramePool pool) {
        return make.apply(pool);
    }
}

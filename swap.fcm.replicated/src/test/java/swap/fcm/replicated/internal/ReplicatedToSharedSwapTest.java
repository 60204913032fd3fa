package swap.fcm.replicated.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.shared.internal.SharedFcm;

/** Swaps replicated -> shared under load: the canonical state from one implementation to the other. */
class ReplicatedToSharedSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool, 2, false);
    }

    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return new SharedFcm(pool);
    }
}

package swap.fcm.replicated.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.shared.internal.SharedFcm;

/** Swaps shared -> replicated under load: the canonical state from one implementation to the other. */
class ReplicatedFromSharedSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new SharedFcm(pool);
    }

    /** Canonical only: a fresh swap after the first one is replicated -> replicated, and the contract expects protocol 0. */
    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return new ReplicatedFcm(pool, 2, false);
    }
}

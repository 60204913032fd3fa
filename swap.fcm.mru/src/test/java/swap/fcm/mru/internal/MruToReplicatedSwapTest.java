package swap.fcm.mru.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.replicated.internal.ReplicatedFcmFactory;

/** Swaps MRU -> replicated under load (a stream that several threads start to share). */
class MruToReplicatedSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcmFactory(pool).create();
    }

    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return new ReplicatedFcmFactory(pool).create();
    }
}

package swap.fcm.mru.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.replicated.internal.ReplicatedFcmFactory;

/** Swaps replicated -> MRU under load (the pair the two policies meet on: a contended file that turns into a stream). */
class MruFromReplicatedSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcmFactory(pool).create();
    }

    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return new MruFcmFactory(pool).create();
    }
}

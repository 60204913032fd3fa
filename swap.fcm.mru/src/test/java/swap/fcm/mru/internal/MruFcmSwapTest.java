package swap.fcm.mru.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;

/** Null swaps MRU -> MRU under load. */
class MruFcmSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcm(pool);
    }
}

package swap.fcm.mru.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.shared.internal.SharedFcmFactory;

/** Swaps shared -> MRU under load (the shared FCM made through its factory class, as the container would). */
class MruFromSharedSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new SharedFcmFactory(pool).create();
    }

    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return new MruFcmFactory(pool).create();
    }
}

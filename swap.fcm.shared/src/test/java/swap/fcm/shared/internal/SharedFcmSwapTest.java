package swap.fcm.shared.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;

/** Null swaps shared -> shared under load (the other ordered pairs come with the other implementations). */
class SharedFcmSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new SharedFcm(pool);
    }
}

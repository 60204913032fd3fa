package swap.fcm.mru.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmThroughStubContract;

/** The FCM contract on the MRU FCM, called through an Object Translation Table stub. */
class MruFcmThroughStubTest extends FcmThroughStubContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcm(pool);
    }
}

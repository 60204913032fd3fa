package swap.fcm.shared.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmThroughStubContract;

/** The FCM contract on the shared FCM, called through an Object Translation Table stub. */
class SharedFcmThroughStubTest extends FcmThroughStubContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new SharedFcm(pool);
    }
}

package swap.fcm.replicated.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmThroughStubContract;

/** The FCM contract on the replicated FCM, called through an Object Translation Table stub. */
class ReplicatedFcmThroughStubTest extends FcmThroughStubContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool);
    }
}

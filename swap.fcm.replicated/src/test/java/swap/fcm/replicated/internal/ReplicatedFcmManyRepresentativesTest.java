package swap.fcm.replicated.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmContract;

/**
 * The FCM contract on a replicated FCM with more representatives (8) than this machine has
 * processors and than the small budgets have frames: every test thread's representative must
 * take frames from the others' pages (the steal path).
 */
class ReplicatedFcmManyRepresentativesTest extends FcmContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool, 8, true);
    }
}

package swap.fcm.replicated.internal;

import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;

/**
 * Null swaps replicated -> replicated under load, in the canonical format (the contract checks
 * that the canonical protocol was negotiated, so these instances do not offer the by-reference
 * one; {@link ReplicatedByReferenceSwapTest} swaps with it).
 */
class ReplicatedFcmSwapTest extends FcmSwapContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool, 2, false);
    }
}

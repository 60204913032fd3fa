package swap.fcm.mru.internal;

import java.util.concurrent.atomic.AtomicInteger;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmSwapContract;
import swap.fcm.shared.internal.SharedFcmFactory;

/**
 * Swaps that alternate between the two implementations under load: every replacement the contract
 * asks for is the other kind than the one before (MRU, shared, MRU, ...), so the concurrent test
 * swaps MRU -> shared and shared -> MRU many times over, with a window (4 frames) smaller than the
 * pool (8 frames) so that each shared -> MRU swap is followed by a trim.
 */
class MruSharedPingPongSwapTest extends FcmSwapContract {

    private final AtomicInteger replacements = new AtomicInteger();

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcm(pool, 4);
    }

    @Override
    protected FileCacheManager newReplacement(FramePool pool) {
        return replacements.getAndIncrement() % 2 == 0 ? new SharedFcmFactory(pool).create() : new MruFcm(pool, 4);
    }
}

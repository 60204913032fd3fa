package swap.fcm.common;

import java.io.InterruptedIOException;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.FramePool.Account;
import swap.fcm.FramePool.Frame;
import swap.ott.Entry;

/** What every FCM does to take part in the frame pool's reclaim. Stateless. */
public final class Reclaim {

    private Reclaim() {
    }

    /**
     * The stub of {@code entry}, which {@code cache} is about to serve: what its account should
     * name ({@link Account#reclaimThrough}).
     *
     * @throws IllegalArgumentException if the entry is not of {@link FileCacheManager}
     */
    public static FileCacheManager stubOf(Entry<?> entry, FileCacheManager cache) {
        if (!(entry.stub() instanceof FileCacheManager s)) {
            throw new IllegalArgumentException(cache + " cannot serve entry " + entry.id() + " of " + entry.type().getName());
        }
        return s;
    }

    /**
     * A frame the pool reclaims from the other files for {@code cache}, which holds none
     * ({@link Account#awaitFrame}).
     *
     * @throws IllegalStateException if none came (the message names the pool's state and {@code cache})
     * @throws InterruptedIOException if the thread was interrupted while it waited (its interrupt
     *         status set again)
     */
    public static Frame awaitFrame(FramePool pool, Account account, FileCacheManager cache) throws InterruptedIOException {
        Frame frame;
        try {
            frame = account.awaitFrame();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException failure = new InterruptedIOException(cache + " was interrupted while it waited for a frame");
            failure.initCause(e);
            throw failure;
        }
        if (frame == null) {
            throw new IllegalStateException("frame pool exhausted (budget " + pool.budget() + " frames, " + pool.inUse() + " in use, "
                    + pool.openAccounts() + " open files) and " + cache + " holds no page to evict; the other files keep their last"
                    + " frame or gave none back within " + pool.reclaimTimeout().toMillis() + " ms");
        }
        return frame;
    }
}

package swap.fcm.shared.internal;

import java.io.IOException;
import swap.fcm.FramePool;
import swap.fcm.FramePool.Frame;
import swap.fcm.common.LockedFcm;

/**
 * The shared File Cache Manager: K42's default FCM, one structure for the whole file, least
 * memory, best when one thread uses the file at a time. Replacement: LRU over the file's own
 * pages; a miss takes a frame from the pool, or, when the pool has none, the least recently used
 * page's, or, when the file has no page, one the pool reclaims from the other files.
 *
 * <p>Thread-safe: one lock per file for every call, disk I/O included ({@link LockedFcm}). This is
 * the non-scalable baseline the replicated FCM is measured against. State transfer: the canonical
 * format only, handing over the channel, the pool account and the frames by reference.
 */
public final class SharedFcm extends LockedFcm {

    /**
     * An unopened FCM that takes its frames from {@code pool} when {@linkplain #open opened}
     * (one that imports its state takes over the old instance's account instead).
     */
    public SharedFcm(FramePool pool) {
        super(pool);
    }

    @Override
    protected Frame frameFor(long number) throws IOException {
        Frame frame = account().allocate();
        if (frame != null) {
            return frame;
        }
        Page victim = leastRecent();
        return victim != null ? evict(victim) : awaitFrame();
    }

    @Override
    protected String kind() {
        return "shared FCM";
    }
}

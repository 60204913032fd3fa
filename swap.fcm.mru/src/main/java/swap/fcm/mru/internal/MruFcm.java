package swap.fcm.mru.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import swap.fcm.FramePool;
import swap.fcm.FramePool.Frame;
import swap.fcm.PageDescriptor;
import swap.fcm.common.LockedFcm;

/**
 * The sequential-stream File Cache Manager: K42's approximately-MRU FCM, for files read or
 * written as streams. A stream recycles its own recently used frames instead of taking every free
 * frame of the shared {@link FramePool}: this instance holds at most {@link #window()} frames, and
 * when it needs another page it drops a page <em>behind</em> the stream first (written back if
 * dirty). So a stream several times larger than the pool's budget leaves the other files' pages
 * and free frames alone.
 *
 * <p>Thread-safe: one lock per file for every call, disk I/O included ({@link LockedFcm}).
 * Streams are usually one thread per file; several streams over one file share its window. State
 * transfer: the canonical format only, handing over the channel, the pool account and the frames
 * by reference, exactly as the shared FCM does; an instance that imported more pages than its
 * window shrinks to it at its next miss.
 */
public final class MruFcm extends LockedFcm {

    /*
     * Replacement (drop-behind within a window): a miss for page c (the stream's cursor) takes a
     * frame for c as follows.
     *   1. While the instance holds `window` pages or more, it evicts a victim; the first victim's
     *      frame is reused for c, the frames of further victims go back to the pool (this trims an
     *      instance that imported more pages than its window, e.g. from the shared FCM, back to its
     *      window in one miss, handing the surplus to the other files).
     *   2. Otherwise it allocates from its pool account; if the pool is exhausted it evicts a victim
     *      and reuses its frame; with nothing to evict it waits for the pool to reclaim a frame
     *      from the other files (LockedFcm.awaitFrame), and fails if none comes.
     * The victim is the least recently used page *behind* the cursor (number < c), i.e. the page
     * the stream passed longest ago; only if no resident page is behind the cursor (a backward or
     * random access) is it the least recently used page of all. For a forward stream this evicts
     * the page furthest behind and keeps the ones just ahead (written earlier, or re-read); the
     * window bound is what makes it MRU-like towards the rest of the system: the stream's newest
     * page takes the frame of one of its own recent pages, never a free frame it does not need.
     * Finding the victim walks the recency list from its least recent end: O(window).
     * Invariant (besides LockedFcm's): resident pages <= window, except after an import of more
     * pages (until the next miss).
     */

    /** The window when none is given: 16 frames (64 KiB) per file. */
    public static final int DEFAULT_WINDOW = 16;

    private final int window;

    /** An unopened FCM with the {@linkplain #DEFAULT_WINDOW default window}. */
    public MruFcm(FramePool pool) {
        this(pool, DEFAULT_WINDOW);
    }

    /**
     * An unopened FCM that takes at most {@code window} frames from {@code pool} when
     * {@linkplain #open opened} (one that imports its state takes over the old instance's account
     * instead, and shrinks to its window at its next miss).
     *
     * @throws IllegalArgumentException if {@code window < 1}
     */
    public MruFcm(FramePool pool, int window) {
        super(pool);
        if (window < 1) {
            throw new IllegalArgumentException("window of " + window + " frames: at least 1 needed");
        }
        this.window = window;
    }

    /** The most frames this instance takes (it may hold more right after importing a larger cache). */
    public int window() {
        return window;
    }

    /** A frame for page {@code cursor}: a victim's within the window, else a new one (see the comment above). */
    @Override
    protected Frame frameFor(long cursor) throws IOException {
        Frame reuse = null;
        try {
            while (residentPages() >= window) {
                Frame freed = evictBehind(cursor);
                if (reuse == null) {
                    reuse = freed;
                } else {
                    account().release(freed); // back to the other files
                }
            }
        } catch (IOException | RuntimeException e) {
            if (reuse != null) {
                account().release(reuse); // its page is gone already: no frame may stay held without a page
            }
            throw e;
        }
        if (reuse != null) {
            return reuse;
        }
        Frame frame = account().allocate();
        if (frame != null) {
            return frame;
        }
        return residentPages() > 0 ? evictBehind(cursor) : awaitFrame();
    }

    /** The recency ranks rebuild the drop-behind order: they must be distinct. */
    @Override
    protected void checkImport(List<PageDescriptor> leastRecentFirst) {
        Set<Integer> ranks = new HashSet<>();
        for (PageDescriptor d : leastRecentFirst) {
            if (!ranks.add(d.recency())) {
                throw new IllegalArgumentException("recency rank " + d.recency() + " is given twice");
            }
        }
    }

    @Override
    protected String kind() {
        return "MRU FCM";
    }

    /**
     * Evicts the least recently used page behind {@code cursor}, or the least recently used page
     * if none is behind, and returns its frame, still held.
     */
    private Frame evictBehind(long cursor) throws IOException {
        Page victim = leastRecent();
        for (Page p = victim; p != null; p = moreRecent(p)) {
            if (p.number < cursor) {
                victim = p;
                break;
            }
        }
        return evict(victim);
    }
}

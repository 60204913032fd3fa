package swap.fcm.mru.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FcmProtocols;
import swap.fcm.FcmState;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.FramePool.Account;
import swap.fcm.FramePool.Frame;
import swap.fcm.PageDescriptor;
import swap.transfer.Transferable;

/**
 * The sequential-stream File Cache Manager: K42's approximately-MRU FCM, for files read or
 * written as streams. A stream recycles its own recently used frames instead of taking every free
 * frame of the shared {@link FramePool}: this instance holds at most {@link #window()} frames, and
 * when it needs another page it drops a page <em>behind</em> the stream first (written back if
 * dirty). So a stream several times larger than the pool's budget leaves the other files' pages
 * and free frames alone.
 *
 * <p>Thread-safe: every method holds one lock (this instance's monitor on a private object) for
 * its whole duration, disk I/O included, so calls on one file are serialized and each read or
 * write is atomic as a whole (more than the interface promises). Streams are usually one thread
 * per file; several streams over one file share its window. State transfer: the canonical format
 * only ({@link FcmProtocols#CANONICAL}), handing over the channel, the pool account and the frames
 * by reference, exactly as the shared FCM does.
 */
public final class MruFcm implements FileCacheManager, Transferable {

    /*
     * Structure: `pages` maps page number -> Page; the Pages are also on a doubly linked recency
     * list (head.next is the least recently used, head.prev the most recently used; `head` is a
     * sentinel). A lookup moves its page to the most recent end.
     *
     * Replacement (drop-behind within a window): a miss for page c (the stream's cursor) takes a
     * frame for c as follows.
     *   1. While the instance holds `window` pages or more, it evicts a victim; the first victim's
     *      frame is reused for c, the frames of further victims go back to the pool (this trims an
     *      instance that imported more pages than its window, e.g. from the shared FCM, back to its
     *      window in one miss, handing the surplus to the other files).
     *   2. Otherwise it allocates from its pool account; if the pool is exhausted it evicts a victim
     *      and reuses its frame; with nothing to evict the call fails (IllegalStateException).
     * The victim is the least recently used page *behind* the cursor (number < c), i.e. the page
     * the stream passed longest ago; only if no resident page is behind the cursor (a backward or
     * random access) is it the least recently used page of all. For a forward stream this evicts
     * the page furthest behind and keeps the ones just ahead (written earlier, or re-read); the
     * window bound is what makes it MRU-like towards the rest of the system: the stream's newest
     * page takes the frame of one of its own recent pages, never a free frame it does not need.
     * Finding the victim walks the recency list from its least recent end: O(window).
     *
     * Invariants, whenever the lock is free and the state is OPEN or IMPORTED:
     *   - account.held() == pages.size() == the length of the recency list;
     *   - pages.size() <= window, except after an import of more pages (until the next miss);
     *   - dirty == number of pages with page.dirty;
     *   - a page's frame holds the file's bytes of that page as of the last write through this
     *     instance (zeros past `size`); a clean page equals the file's bytes on disk;
     *   - size >= the channel's size (writes past the end extend `size` first, the file on
     *     write-back).
     *
     * States (as the shared FCM): UNOPENED -open-> OPEN; UNOPENED -importState-> IMPORTED (may
     * import again on a retried swap) -first call-> OPEN; OPEN|IMPORTED -close-> CLOSED;
     * OPEN|IMPORTED -swappedOut-> SWAPPED_OUT (references dropped, nothing released: the new
     * instance owns them); IMPORTED -abandoned-> CLOSED (references dropped, nothing released:
     * the old instance still owns them).
     *
     * Transfer: export lists the resident pages with recency ranks (0 = most recent) and changes
     * nothing; import only records the descriptors, rebuilding the recency list from the ranks
     * (least recent first), and takes over channel and account without touching the pool, because
     * the swap may still roll back and the old instance go on using them. Ownership in the pool
     * never moves: the account itself changes hands, so no count moves either.
     *
     * Locking: `lock` guards every field below it. Disk I/O happens under the lock: a miss blocks
     * the other callers of this file (not of other files) for one read and at most the write-backs
     * of its victims.
     */

    /** The window when none is given: 16 frames (64 KiB) per file. */
    public static final int DEFAULT_WINDOW = 16;

    private static final Logger LOG = LoggerFactory.getLogger(MruFcm.class);
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private enum State {
        UNOPENED, IMPORTED, OPEN, CLOSED, SWAPPED_OUT
    }

    /** A resident page, on the recency list. */
    private static final class Page {
        final long number;
        final Frame frame;
        boolean dirty;
        Page prev;
        Page next;

        Page(long number, Frame frame, boolean dirty) {
            this.number = number;
            this.frame = frame;
            this.dirty = dirty;
        }
    }

    private final FramePool pool;
    private final int window;
    private final Object lock = new Object();

    // @GuardedBy("lock") from here on
    private State state = State.UNOPENED;
    private Path file;
    private Mode mode;
    private FileChannel channel;
    private Account account;
    private long size;
    private final Map<Long, Page> pages = new HashMap<>();
    private final Page head = new Page(-1, null, false); // sentinel of the recency list
    private int dirty;
    private long hits;
    private long misses;
    private long evictions;
    private long writeBacks;

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
        this.pool = Objects.requireNonNull(pool, "pool");
        if (window < 1) {
            throw new IllegalArgumentException("window of " + window + " frames: at least 1 needed");
        }
        this.window = window;
        head.prev = head;
        head.next = head;
    }

    /** The most frames this instance takes (it may hold more right after importing a larger cache). */
    public int window() {
        return window;
    }

    @Override
    public void open(Path file, Mode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            if (state != State.UNOPENED) {
                throw new IllegalStateException(this + " cannot be opened: it is " + state.name().toLowerCase());
            }
            Path path = file.toAbsolutePath().normalize();
            FileChannel ch = mode == Mode.READ_WRITE
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            try {
                this.size = ch.size();
                this.account = pool.openAccount(path.toString());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            this.file = path;
            this.mode = mode;
            this.channel = ch;
            this.state = State.OPEN;
        }
        LOG.debug("MRU FCM opened {} ({}, window {})", file, mode, window);
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return state == State.OPEN || state == State.IMPORTED;
        }
    }

    @Override
    public Path file() {
        synchronized (lock) {
            return file;
        }
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        requireNonNegative(position);
        synchronized (lock) {
            requireOpen();
            if (length == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int done = 0; done < n;) {
                long at = position + done;
                int inPage = (int) (at % PAGE_SIZE);
                int chunk = Math.min(PAGE_SIZE - inPage, n - done);
                Page page = lookup(at / PAGE_SIZE, false);
                page.frame.buffer().get(inPage, buffer, offset + done, chunk);
                done += chunk;
            }
            return n;
        }
    }

    @Override
    public void write(long position, byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        requireNonNegative(position);
        if (position + length < 0) {
            throw new IllegalArgumentException("range at " + position + " of " + length + " bytes overflows a long");
        }
        synchronized (lock) {
            requireOpen();
            if (mode != Mode.READ_WRITE) {
                throw new AccessDeniedException(file.toString(), null, "opened read-only");
            }
            for (int done = 0; done < length;) {
                long at = position + done;
                int inPage = (int) (at % PAGE_SIZE);
                int chunk = Math.min(PAGE_SIZE - inPage, length - done);
                Page page = lookup(at / PAGE_SIZE, chunk == PAGE_SIZE);
                page.frame.buffer().put(inPage, buffer, offset + done, chunk);
                if (!page.dirty) {
                    page.dirty = true;
                    dirty++;
                }
                size = Math.max(size, at + chunk);
                done += chunk;
            }
        }
    }

    @Override
    public long size() {
        synchronized (lock) {
            requireOpen();
            return size;
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            requireOpen();
            writeBackAll();
            if (mode == Mode.READ_WRITE) {
                channel.force(true);
            }
        }
    }

    @Override
    public FcmStatistics statistics() {
        synchronized (lock) {
            FcmStatistics s = new FcmStatistics();
            s.hits = hits;
            s.misses = misses;
            s.evictions = evictions;
            s.writeBacks = writeBacks;
            s.framesHeld = pages.size();
            s.dirtyPages = dirty;
            return s;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (state == State.UNOPENED) {
                state = State.CLOSED;
                return;
            }
            if (state != State.OPEN && state != State.IMPORTED) {
                return;
            }
            IOException failure = null;
            try {
                writeBackAll();
                if (mode == Mode.READ_WRITE) {
                    channel.force(true);
                }
            } catch (IOException e) {
                failure = e;
                LOG.warn("MRU FCM of {}: {} dirty pages lost on close", file, dirty, e);
            }
            for (Page page : pages.values()) {
                account.release(page.frame);
            }
            clearPages();
            account.close();
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            state = State.CLOSED;
            LOG.debug("MRU FCM closed {}", file);
            if (failure != null) {
                throw failure;
            }
        }
    }

    // ---- state transfer -------------------------------------------------------------------

    @Override
    public long exportProtocols() {
        return FcmProtocols.CANONICAL_BIT;
    }

    @Override
    public long importProtocols() {
        return FcmProtocols.CANONICAL_BIT;
    }

    /** The canonical state: descriptors of the resident pages, which stay this instance's until {@link #swappedOut()}. */
    @Override
    public Object exportState(int protocol) {
        requireCanonical(protocol);
        synchronized (lock) {
            if (state != State.OPEN && state != State.IMPORTED) {
                throw new IllegalStateException(this + " has no state to export: it is " + state.name().toLowerCase());
            }
            List<PageDescriptor> descriptors = new ArrayList<>(pages.size());
            int rank = 0;
            for (Page p = head.prev; p != head; p = p.prev) { // most recent first: rank 0
                descriptors.add(new PageDescriptor(p.number, p.frame, p.dirty, rank++));
            }
            return new FcmState(file, mode, channel, size, account, descriptors);
        }
    }

    /**
     * Takes over the channel, the account and the frames of {@code state}, and orders the pages by
     * their recency ranks: only records them (the swap may still roll back and the old instance go
     * on using them).
     */
    @Override
    public void importState(int protocol, Object state) {
        requireCanonical(protocol);
        FcmState s = (FcmState) Objects.requireNonNull(state, "state");
        List<PageDescriptor> byAge = new ArrayList<>(s.pages());
        byAge.sort(Comparator.comparingInt(PageDescriptor::recency).reversed()); // least recent first
        Set<Long> numbers = new HashSet<>();
        Set<Integer> ranks = new HashSet<>();
        for (PageDescriptor d : byAge) {
            if (!numbers.add(d.page())) {
                throw new IllegalArgumentException("page " + d.page() + " is described twice");
            }
            if (!ranks.add(d.recency())) {
                throw new IllegalArgumentException("recency rank " + d.recency() + " is given twice");
            }
            if (d.frame().owner() != s.account()) {
                throw new IllegalArgumentException("page " + d.page() + ": " + d.frame() + " is not owned by " + s.account());
            }
        }
        synchronized (lock) {
            if (this.state != State.UNOPENED && this.state != State.IMPORTED) {
                throw new IllegalStateException(this + " cannot import: it is " + this.state.name().toLowerCase());
            }
            clearPages();
            for (PageDescriptor d : byAge) {
                Page page = new Page(d.page(), d.frame(), d.dirty());
                pages.put(d.page(), page);
                linkMostRecent(page);
                if (d.dirty()) {
                    dirty++;
                }
            }
            file = s.file();
            mode = s.mode();
            channel = s.channel();
            account = s.account();
            size = s.size();
            this.state = State.IMPORTED;
        }
    }

    /** The new instance owns the channel, account and frames now: forget them, release nothing. */
    @Override
    public void swappedOut() {
        synchronized (lock) {
            forget(State.SWAPPED_OUT);
        }
    }

    /** The swap rolled back: the old instance still owns what this one imported; forget it, release nothing. */
    @Override
    public void abandoned() {
        synchronized (lock) {
            if (state == State.IMPORTED || state == State.UNOPENED) {
                forget(State.CLOSED);
            }
        }
    }

    @Override
    public String toString() {
        return "MRU FCM@" + Integer.toHexString(System.identityHashCode(this)) + (file == null ? "" : " of " + file);
    }

    // ---- under the lock ---------------------------------------------------------------------

    /** The resident page {@code number}, made resident if needed (read from the file unless {@code overwrite}). */
    private Page lookup(long number, boolean overwrite) throws IOException {
        Page page = pages.get(number);
        if (page != null) {
            hits++;
            unlink(page);
            linkMostRecent(page);
            return page;
        }
        misses++;
        Frame frame = takeFrame(number);
        try {
            if (!overwrite) {
                fill(frame, number);
            }
        } catch (IOException | RuntimeException e) {
            account.release(frame);
            throw e;
        }
        page = new Page(number, frame, false);
        pages.put(number, page);
        linkMostRecent(page);
        return page;
    }

    /** A frame for page {@code cursor}, held by the account and by no page: a victim's within the window, else a new one. */
    private Frame takeFrame(long cursor) throws IOException {
        Frame reuse = null;
        try {
            while (pages.size() >= window) {
                Frame freed = evict(cursor);
                if (reuse == null) {
                    reuse = freed;
                } else {
                    account.release(freed); // back to the other files
                }
            }
        } catch (IOException | RuntimeException e) {
            if (reuse != null) {
                account.release(reuse); // its page is gone already: no frame may stay held without a page
            }
            throw e;
        }
        if (reuse != null) {
            return reuse;
        }
        Frame frame = account.allocate();
        return frame != null ? frame : evict(cursor);
    }

    /**
     * Evicts the least recently used page behind {@code cursor}, or the least recently used page
     * if none is behind (written back first if dirty), and returns its frame, still held.
     */
    private Frame evict(long cursor) throws IOException {
        if (head.next == head) {
            throw new IllegalStateException("frame pool exhausted (budget " + pool.budget() + " frames, " + pool.inUse()
                    + " in use) and " + this + " holds no page to evict");
        }
        Page victim = head.next;
        for (Page p = head.next; p != head; p = p.next) {
            if (p.number < cursor) {
                victim = p;
                break;
            }
        }
        if (victim.dirty) {
            writeBack(victim); // if it fails, the page stays resident and dirty
        }
        unlink(victim);
        pages.remove(victim.number);
        evictions++;
        return victim.frame;
    }

    /** Reads page {@code number} from the file into {@code frame}; zeros past the file's end. */
    private void fill(Frame frame, long number) throws IOException {
        ByteBuffer b = frame.buffer().duplicate();
        b.clear();
        long start = number * PAGE_SIZE;
        while (b.hasRemaining()) {
            if (channel.read(b, start + b.position()) < 0) {
                break;
            }
        }
        b.put(ZEROS, 0, b.remaining());
    }

    /** Writes a dirty page's bytes up to the file's size. */
    private void writeBack(Page page) throws IOException {
        long start = page.number * PAGE_SIZE;
        ByteBuffer b = page.frame.buffer().duplicate();
        b.clear().limit((int) Math.min(PAGE_SIZE, size - start));
        while (b.hasRemaining()) {
            channel.write(b, start + b.position());
        }
        page.dirty = false;
        dirty--;
        writeBacks++;
    }

    private void writeBackAll() throws IOException {
        if (dirty == 0) {
            return;
        }
        List<Page> toWrite = new ArrayList<>(dirty);
        for (Page page : pages.values()) {
            if (page.dirty) {
                toWrite.add(page);
            }
        }
        toWrite.sort(Comparator.comparingLong(p -> p.number)); // in file order
        for (Page page : toWrite) {
            writeBack(page);
        }
    }

    private void linkMostRecent(Page page) {
        page.prev = head.prev;
        page.next = head;
        head.prev.next = page;
        head.prev = page;
    }

    private static void unlink(Page page) {
        page.prev.next = page.next;
        page.next.prev = page.prev;
        page.prev = null;
        page.next = null;
    }

    private void clearPages() {
        pages.clear();
        head.prev = head;
        head.next = head;
        dirty = 0;
    }

    private void forget(State next) {
        clearPages();
        channel = null;
        account = null;
        state = next;
    }

    private void requireOpen() {
        if (state == State.OPEN) {
            return;
        }
        if (state == State.IMPORTED) {
            state = State.OPEN; // the first call after a committed swap
            return;
        }
        throw new IllegalStateException(this + " is " + state.name().toLowerCase().replace('_', ' '));
    }

    private static void requireNonNegative(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }

    private static void requireCanonical(int protocol) {
        if (protocol != FcmProtocols.CANONICAL) {
            throw new IllegalArgumentException("protocol " + protocol + " is not offered (only "
                    + FcmProtocols.CANONICAL + ", canonical)");
        }
    }
}

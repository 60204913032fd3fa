package swap.fcm.common;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
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
import swap.ott.Entry;
import swap.ott.EntryAware;
import swap.transfer.Transferable;

/**
 * A page cache of one file behind one lock: everything an FCM does except choosing which frame a
 * missing page gets ({@link #frameFor}), which is the replacement policy (LRU for the shared FCM,
 * drop-behind within a window for the MRU FCM).
 *
 * <p>Thread-safe: every method holds one lock for its whole duration, disk I/O included, so calls
 * on one file are serialized (and each read or write is atomic as a whole, more than the interface
 * promises). State transfer: the canonical format only ({@link FcmProtocols#CANONICAL}), handing
 * over the channel, the pool account and the frames by reference.
 */
public abstract class LockedFcm implements FileCacheManager, Transferable, EntryAware {

    /*
     * Structure: `pages` maps page number -> Page; the Pages are also on a doubly linked recency
     * list (head.next is the least recently used, head.prev the most recently used; `head` is a
     * sentinel). A hit moves its page to the most recent end; a miss asks the subclass for a
     * frame (frameFor: allocate from the pool account, or evict one of this file's pages and reuse
     * its frame), so a miss never takes a page from another file directly; the pool does that,
     * on its own thread, by asking the other files to trim (FramePool's reserve). Invariants, whenever the lock is free and the state is OPEN or IMPORTED:
     *   - account.held() == pages.size() == the length of the recency list;
     *   - dirty == number of pages with page.dirty;
     *   - a page's frame holds the file's bytes of that page as of the last write through this
     *     instance (zeros past `size`); a clean page equals the file's bytes on disk;
     *   - size >= the channel's size (writes past the end extend `size` first, the file on
     *     write-back).
     *
     * States: UNOPENED -open-> OPEN; UNOPENED -importState-> IMPORTED (may import again on a
     * retried swap) -first call-> OPEN; OPEN|IMPORTED -close-> CLOSED; OPEN|IMPORTED
     * -swappedOut-> SWAPPED_OUT (references dropped, nothing released: the new instance owns
     * them); IMPORTED -abandoned-> CLOSED (references dropped, nothing released: the old
     * instance still owns them). Only UNOPENED may be opened or imported into (IMPORTED too, for
     * a retried try), so a live instance can never be overwritten.
     *
     * Transfer: export lists the resident pages with recency ranks (0 = most recent) and changes
     * nothing; import only records the descriptors, rebuilding the recency list from the ranks,
     * and takes over channel and account without touching the pool, because the swap may still
     * roll back and the old instance go on using them. Ownership in the pool never moves: the
     * account itself changes hands, so no count moves either.
     *
     * Locking: `lock` guards every field below it, and the subclass's hooks run under it. Disk
     * I/O happens under the lock: a miss blocks every other caller of this file (not of other
     * files) for one read and the write-backs of its victims.
     */

    private enum State {
        UNOPENED, IMPORTED, OPEN, CLOSED, SWAPPED_OUT
    }

    /** A resident page, on the recency list. */
    protected static final class Page {
        /** The page's number in the file. */
        public final long number;
        private final Frame frame;
        private boolean dirty;
        private Page prev;
        private Page next;

        private Page(long number, Frame frame, boolean dirty) {
            this.number = number;
            this.frame = frame;
            this.dirty = dirty;
        }
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final FramePool pool;
    private final Object lock = new Object();
    /** The stub of the entry this instance serves, once bound; the pool reclaims through it. */
    private volatile FileCacheManager stub;

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

    /**
     * An unopened FCM that takes its frames from {@code pool} when {@linkplain #open opened}
     * (one that imports its state takes over the old instance's account instead).
     */
    protected LockedFcm(FramePool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        head.prev = head;
        head.next = head;
    }

    // ---- the replacement policy ---------------------------------------------------------------

    /**
     * Under the lock: a frame for the missing page {@code number}, held by the account and by no
     * page. Allocate it from {@link #account()}, or {@linkplain #evict evict} a page and reuse its
     * frame; if the file holds no page, {@linkplain #awaitFrame wait} for one the pool reclaims.
     */
    protected abstract Frame frameFor(long number) throws IOException;

    /** What the logs and {@link #toString()} call this kind of FCM, e.g. {@code "shared FCM"}. */
    protected abstract String kind();

    /**
     * Under no lock, before an import: checks the descriptors (least recent first) beyond what
     * every FCM checks; throws {@link IllegalArgumentException} to refuse them.
     */
    protected void checkImport(List<PageDescriptor> leastRecentFirst) {
    }

    /** Under the lock: the pool account of the file. */
    protected final Account account() {
        return account;
    }

    /** Under the lock: how many pages are resident. */
    protected final int residentPages() {
        return pages.size();
    }

    /** Under the lock: the least recently used page, or {@code null} if none is resident. */
    protected final Page leastRecent() {
        return head.next == head ? null : head.next;
    }

    /** Under the lock: the page used next after {@code page}, or {@code null} if it is the most recent. */
    protected final Page moreRecent(Page page) {
        return page.next == head ? null : page.next;
    }

    /**
     * Under the lock: evicts {@code victim} (written back first if dirty; if that fails, it stays
     * resident and dirty) and returns its frame, still held by the account.
     */
    protected final Frame evict(Page victim) throws IOException {
        if (victim.dirty) {
            writeBack(victim);
        }
        unlink(victim);
        pages.remove(victim.number);
        evictions++;
        return victim.frame;
    }

    /**
     * Under the lock, when this file holds no page to evict: a frame the pool reclaims from the
     * other files ({@link Account#awaitFrame}).
     *
     * @throws IllegalStateException if none came within the pool's reclaim timeout
     * @throws InterruptedIOException if the thread was interrupted while it waited (its interrupt
     *         status set again)
     */
    protected final Frame awaitFrame() throws InterruptedIOException {
        return Reclaim.awaitFrame(pool, account, this);
    }

    /** What the pool asks for frames back: the stub once bound (calls go through the mediator), else this instance. */
    private FileCacheManager reclaimer() {
        FileCacheManager s = stub;
        return s != null ? s : this;
    }

    // ---- FileCacheManager ---------------------------------------------------------------------

    @Override
    public void open(Path file, Mode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            if (state != State.UNOPENED) {
                throw new IllegalStateException(this + " cannot be opened: it is " + state.name().toLowerCase());
            }
            Path path = file.toAbsolutePath().normalize();
            FileChannel ch = PageIo.open(path, mode, pool.directIo());
            try {
                this.size = ch.size();
                this.account = pool.openAccount(path.toString());
                account.reclaimThrough(reclaimer());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            this.file = path;
            this.mode = mode;
            this.channel = ch;
            this.state = State.OPEN;
        }
        log.debug("{} opened {} ({})", kind(), file, mode);
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
        PageIo.requireNonNegative(position);
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
        PageIo.requireNonNegative(position);
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

    /** Evicts least recently used pages (written back first if dirty) and releases their frames, keeping one. */
    @Override
    public int trim(int frames) throws IOException {
        if (frames < 0) {
            throw new IllegalArgumentException("cannot trim " + frames + " frames");
        }
        synchronized (lock) {
            if (state != State.OPEN && state != State.IMPORTED) {
                return 0;
            }
            int given = 0;
            while (given < frames && pages.size() > 1) {
                account.release(evict(leastRecent()));
                given++;
            }
            return given;
        }
    }

    /**
     * From now on the pool asks for frames back through {@code entry}'s stub (this instance until
     * then). On a swap the replacement is bound before it imports the account, which already
     * names the same stub.
     *
     * @throws IllegalArgumentException if the entry is not of {@link FileCacheManager}
     */
    @Override
    public void boundTo(Entry<?> entry) {
        FileCacheManager s = Reclaim.stubOf(entry, this);
        synchronized (lock) {
            stub = s;
            if (state == State.OPEN || state == State.IMPORTED) {
                account.reclaimThrough(s);
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
                log.warn("{} of {}: {} dirty pages lost on close", kind(), file, dirty, e);
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
            log.debug("{} closed {}", kind(), file);
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
            int rank = pages.size(); // least recently used first, rank 0 the most recent
            for (Page p = head.next; p != head; p = p.next) {
                descriptors.add(new PageDescriptor(p.number, p.frame, p.dirty, --rank));
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
        for (PageDescriptor d : byAge) {
            if (!numbers.add(d.page())) {
                throw new IllegalArgumentException("page " + d.page() + " is described twice");
            }
            if (d.frame().owner() != s.account()) {
                throw new IllegalArgumentException("page " + d.page() + ": " + d.frame() + " is not owned by " + s.account());
            }
        }
        checkImport(byAge);
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
            FileCacheManager bound = stub;
            if (bound != null) {
                account.reclaimThrough(bound); // the stub, even if the old instance (another implementation) named itself
            }
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
        return kind() + "@" + Integer.toHexString(System.identityHashCode(this)) + (file == null ? "" : " of " + file);
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
        Frame frame = frameFor(number);
        try {
            if (!overwrite) {
                PageIo.fill(channel, frame, number);
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

    /** Writes a dirty page's bytes up to the file's size. */
    private void writeBack(Page page) throws IOException {
        PageIo.writeBack(channel, page.frame, page.number, size, pool.directIo());
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

    private static void requireCanonical(int protocol) {
        if (protocol != FcmProtocols.CANONICAL) {
            throw new IllegalArgumentException("protocol " + protocol + " is not offered (only "
                    + FcmProtocols.CANONICAL + ", canonical)");
        }
    }
}

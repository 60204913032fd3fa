package swap.fcm.shared.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * The shared File Cache Manager: K42's default FCM, one structure for the whole file, least
 * memory, best when one thread uses the file at a time.
 *
 * <p>Thread-safe: every method holds one lock for its whole duration, disk I/O included, so calls
 * are serialized (and each read or write is atomic as a whole, more than the interface promises).
 * This is the non-scalable baseline the replicated FCM is measured against. State transfer: the
 * canonical format only ({@link FcmProtocols#CANONICAL}), handing over the channel, the pool
 * account and the frames by reference.
 */
public final class SharedFcm implements FileCacheManager, Transferable {

    /*
     * Structure: `pages` maps page number -> Page (frame + dirty flag) in access order, so its
     * eldest entry is the least recently used page (LRU). A lookup that misses takes a frame from
     * the pool account; when the pool has none it evicts the LRU page (writing it back if dirty)
     * and reuses its frame, so a file under pressure recycles its own frames and never takes
     * another file's. Invariants, whenever the lock is free and the state is OPEN or IMPORTED:
     *   - account.held() == pages.size() (one frame per resident page, no other frame held);
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
     * Locking: `lock` guards every field below it. Disk I/O happens under the lock: a miss
     * blocks every other caller of this file (not of other files) for one read. Acceptable for
     * the "shared" FCM, which K42 picks when one thread uses the file; see the replicated FCM.
     */

    private static final Logger LOG = LoggerFactory.getLogger(SharedFcm.class);
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private enum State {
        UNOPENED, IMPORTED, OPEN, CLOSED, SWAPPED_OUT
    }

    private static final class Page {
        final long number;
        final Frame frame;
        boolean dirty;

        Page(long number, Frame frame, boolean dirty) {
            this.number = number;
            this.frame = frame;
            this.dirty = dirty;
        }
    }

    private final FramePool pool;
    private final Object lock = new Object();

    // @GuardedBy("lock") from here on
    private State state = State.UNOPENED;
    private Path file;
    private Mode mode;
    private FileChannel channel;
    private Account account;
    private long size;
    private final LinkedHashMap<Long, Page> pages = new LinkedHashMap<>(16, 0.75f, true);
    private int dirty;
    private long hits;
    private long misses;
    private long evictions;
    private long writeBacks;

    /**
     * An unopened FCM that takes its frames from {@code pool} when {@linkplain #open opened}
     * (one that imports its state takes over the old instance's account instead).
     */
    public SharedFcm(FramePool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
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
        LOG.debug("shared FCM opened {} ({})", file, mode);
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
                LOG.warn("shared FCM of {}: {} dirty pages lost on close", file, dirty, e);
            }
            for (Page page : pages.values()) {
                account.release(page.frame);
            }
            pages.clear();
            dirty = 0;
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
            LOG.debug("shared FCM closed {}", file);
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
            int rank = pages.size(); // eldest (least recently used) first
            for (Page page : pages.values()) {
                descriptors.add(new PageDescriptor(page.number, page.frame, page.dirty, --rank));
            }
            return new FcmState(file, mode, channel, size, account, descriptors);
        }
    }

    /**
     * Takes over the channel, the account and the frames of {@code state}: only records them (the
     * swap may still roll back and the old instance go on using them).
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
        synchronized (lock) {
            if (this.state != State.UNOPENED && this.state != State.IMPORTED) {
                throw new IllegalStateException(this + " cannot import: it is " + this.state.name().toLowerCase());
            }
            pages.clear();
            dirty = 0;
            for (PageDescriptor d : byAge) {
                pages.put(d.page(), new Page(d.page(), d.frame(), d.dirty()));
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
        return "shared FCM@" + Integer.toHexString(System.identityHashCode(this)) + (file == null ? "" : " of " + file);
    }

    // ---- under the lock ---------------------------------------------------------------------

    /** The resident page {@code number}, made resident if needed (read from the file unless {@code overwrite}). */
    private Page lookup(long number, boolean overwrite) throws IOException {
        Page page = pages.get(number); // moves it to the most recently used end
        if (page != null) {
            hits++;
            return page;
        }
        misses++;
        Frame frame = account.allocate();
        if (frame == null) {
            frame = evictLeastRecent();
        }
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
        return page;
    }

    /** Evicts the least recently used page (written back first if dirty) and returns its frame, still held. */
    private Frame evictLeastRecent() throws IOException {
        Iterator<Map.Entry<Long, Page>> eldest = pages.entrySet().iterator();
        if (!eldest.hasNext()) {
            throw new IllegalStateException("frame pool exhausted (budget " + pool.budget() + " frames, " + pool.inUse()
                    + " in use) and " + this + " holds no page to evict");
        }
        Page victim = eldest.next().getValue();
        if (victim.dirty) {
            writeBack(victim); // if it fails, the page stays resident and dirty
        }
        eldest.remove();
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

    private void forget(State next) {
        pages.clear();
        dirty = 0;
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

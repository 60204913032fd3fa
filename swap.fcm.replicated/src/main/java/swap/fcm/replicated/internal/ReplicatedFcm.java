package swap.fcm.replicated.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;
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
import swap.fcm.common.PageIo;
import swap.fcm.common.Reclaim;
import swap.ott.Entry;
import swap.ott.EntryAware;
import swap.transfer.Transferable;

/**
 * The replicated (distributed) File Cache Manager: K42's FCM with a <em>representative</em> per
 * processor, swapped in when several processors use one file at once.
 *
 * <p>Thread-safe, with no lock or counter that every call writes: a thread works through the
 * representative of its slot (threads are numbered on their first use of any replicated FCM and
 * take representative {@code slot mod N}; Java cannot ask which processor it runs on), which has
 * its own lock, LRU list and counters; the bytes of a page are guarded by the page's own
 * {@link StampedLock}, and reads take it optimistically (no write to shared memory on a read hit).
 * Each read or write is atomic page by page, as the interface promises, not as a whole.
 *
 * <p>State transfer: the canonical format ({@link FcmProtocols#CANONICAL}) with every
 * implementation of the family, and, between two replicated instances, protocol
 * {@value #REPRESENTATIVES}: the whole structure (directory, representatives with their LRU
 * lists and counters) handed over by reference, nothing rebuilt.
 */
public final class ReplicatedFcm implements FileCacheManager, Transferable, EntryAware {

    /*
     * Structure (K42's distributed FCM, "Replicated (distributed) FCM" in design/K42-DIGEST.md).
     * A Cache holds the file's channel, pool account and size, a directory (a ConcurrentHashMap
     * page number -> Page) and N representatives. Each resident page has exactly one frame, so
     * there is one copy of each page and coherence needs no invalidation protocol: a write goes to
     * the one frame under the page's write lock, and every later read of the page, from any
     * thread, takes (or validates) the same lock. The representative that faulted a page in owns
     * it: the page is in its LRU list and only it evicts it. A representative that finds a page in
     * the directory owned by another (a remote hit) uses it in place, does not copy it, and sets
     * the page's `referenced` bit so that the owner gives it a second chance before evicting it
     * (per-representative LRU with second chance for pages others use).
     *
     * Memory touched per call: a read hit on an own page locks the own representative (to move
     * the page in its LRU list; one thread per representative, uncontended) and reads the page
     * optimistically; a remote hit reads the directory and the page, and writes the referenced
     * bit only when it is clear. Misses and evictions write the directory (striped by CHM) and
     * the own representative. Size grows by CAS only when a write extends the file.
     *
     * Invariants, whenever no call is in progress and the state is OPEN or IMPORTED:
     *   - directory.values() == union of the representatives' LRU lists, disjoint, and each
     *     page's owner is the representative whose list holds it;
     *   - account.held() == directory.size() (one frame per resident page). During a call a frame
     *     may be in flight: taken from the pool or an eviction and not yet in a page;
     *   - an evicted page (`evicted` set, under its write lock, before its frame is reused) is in
     *     neither structure; a thread holding a reference to it retries its lookup;
     *   - a clean page equals the file's bytes on disk; size >= the channel's size.
     *
     * Lock order: lifecycle -> representative -> page. A thread holds at most one representative
     * lock and never takes a representative lock while holding a page lock; when its own
     * representative has nothing to evict it releases its lock before evicting another's
     * (steal), so no cycle can form. A page is faulted in under its owner's lock with its own
     * write lock held from before it is published in the directory until its bytes are read,
     * so two representatives can never fault the same page twice (putIfAbsent decides) and nobody
     * reads a frame before it is filled. Disk I/O (fill, write-back) runs under the owner's lock
     * and the page's write lock: it blocks that representative's threads and that page only.
     *
     * States as in the shared FCM: UNOPENED -open-> OPEN; UNOPENED -importState-> IMPORTED
     * (again on a retried try) -first call-> OPEN; OPEN|IMPORTED -close-> CLOSED;
     * OPEN|IMPORTED -swappedOut-> SWAPPED_OUT; IMPORTED -abandoned-> CLOSED. Swapped out and
     * abandoned instances drop their references and release nothing.
     */

    /**
     * The protocol of this implementation only ({@link FcmProtocols#REPLICATED_BY_REFERENCE}): the
     * {@link Cache} by reference (replicated to replicated).
     */
    static final int REPRESENTATIVES = FcmProtocols.REPLICATED_BY_REFERENCE;

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedFcm.class);
    /** How often a thread that found no frame and nothing to evict looks again while frames are in flight. */
    private static final int STEAL_ROUNDS = 10_000;

    /** Numbers threads on their first use of a replicated FCM: distinct consecutive threads, distinct representatives. */
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadLocal<Integer> SLOT = ThreadLocal.withInitial(THREADS::getAndIncrement);

    private enum State {
        UNOPENED, IMPORTED, OPEN, CLOSED, SWAPPED_OUT
    }

    /** One resident page: its frame's bytes and `dirty` are guarded by `lock`. */
    static final class Page {
        final long number;
        final Frame frame;
        final Representative owner;
        final StampedLock lock = new StampedLock();
        /** Written under the write lock; read anywhere. */
        volatile boolean dirty;
        /** Set under the write lock before the frame is reused; never cleared. */
        volatile boolean evicted;
        /** Set by remote hits, cleared by the owner (second chance). */
        volatile boolean referenced;

        Page(long number, Frame frame, Representative owner, boolean dirty) {
            this.number = number;
            this.frame = frame;
            this.owner = owner;
            this.dirty = dirty;
        }
    }

    /** A processor's representative: the pages it faulted in, in LRU order, and its counters. */
    static final class Representative {
        final int index;
        final ReentrantLock lock = new ReentrantLock();
        // @GuardedBy("lock")
        final LinkedHashMap<Long, Page> pages = new LinkedHashMap<>(16, 0.75f, true);
        long hits;
        long misses;
        long evictions;

        Representative(int index) {
            this.index = index;
        }
    }

    /**
     * Everything an open instance caches: handed over as is by protocol {@value #REPRESENTATIVES};
     * as a {@code Supplier}, its canonical form, for an importer of another bundle revision.
     */
    static final class Cache implements Supplier<FcmState> {
        final Path file;
        final Mode mode;
        final FileChannel channel;
        final Account account;
        final AtomicLong size;
        final ConcurrentHashMap<Long, Page> directory = new ConcurrentHashMap<>();
        final Representative[] representatives;
        final LongAdder writeBacks = new LongAdder();
        /** Whether the pool has its caches use direct I/O (last pages are written whole, then the file cut back). */
        final boolean directIo;

        Cache(Path file, Mode mode, FileChannel channel, Account account, long size, int representatives, boolean directIo) {
            this.file = file;
            this.mode = mode;
            this.channel = channel;
            this.directIo = directIo;
            this.account = account;
            this.size = new AtomicLong(size);
            this.representatives = new Representative[representatives];
            for (int i = 0; i < representatives; i++) {
                this.representatives[i] = new Representative(i);
            }
        }

        @Override
        public FcmState get() {
            return canonical(this);
        }

        Representative ofCurrentThread() {
            return representatives[Math.floorMod(SLOT.get(), representatives.length)];
        }
    }

    /** A page found or made by a lookup; {@code stamp != 0}: made for a whole-page write and still write-locked. */
    private record Pin(Page page, long stamp) {
    }

    private final FramePool pool;
    private final int representatives;
    private final boolean byReference;
    private final Object lifecycle = new Object();
    /** Written under `lifecycle`; read by every call. */
    private volatile State state = State.UNOPENED;
    /** Written under `lifecycle` together with `state`. */
    private volatile Cache cache;
    /** Counters of the cache when this instance took it over by reference (statistics count from there). */
    private volatile FcmStatistics baseline = new FcmStatistics();
    /** The stub of the entry this instance serves, once bound; the pool reclaims through it. */
    private volatile FileCacheManager stub;

    /** An unopened FCM with a representative per available processor, offering both protocols. */
    public ReplicatedFcm(FramePool pool) {
        this(pool, Runtime.getRuntime().availableProcessors(), true);
    }

    /**
     * An unopened FCM with {@code representatives} representatives; {@code byReference}: whether it
     * offers protocol {@value #REPRESENTATIVES} besides the canonical one.
     */
    public ReplicatedFcm(FramePool pool, int representatives, boolean byReference) {
        this.pool = Objects.requireNonNull(pool, "pool");
        if (representatives < 1) {
            throw new IllegalArgumentException("at least one representative, not " + representatives);
        }
        this.representatives = representatives;
        this.byReference = byReference;
    }

    @Override
    public void open(Path file, Mode mode) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        synchronized (lifecycle) {
            if (state != State.UNOPENED) {
                throw new IllegalStateException(this + " cannot be opened: it is " + describe(state));
            }
            Path path = file.toAbsolutePath().normalize();
            FileChannel ch = PageIo.open(path, mode, pool.directIo());
            try {
                cache = new Cache(path, mode, ch, pool.openAccount(path.toString()), ch.size(), representatives, pool.directIo());
                FileCacheManager bound = stub;
                cache.account.reclaimThrough(bound != null ? bound : this);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            state = State.OPEN;
        }
        LOG.debug("replicated FCM opened {} ({}, {} representatives)", file, mode, representatives);
    }

    @Override
    public boolean isOpen() {
        State s = state;
        return s == State.OPEN || s == State.IMPORTED;
    }

    @Override
    public Path file() {
        Cache c = cache;
        return c == null ? null : c.file;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        PageIo.requireNonNegative(position);
        Cache c = live();
        if (length == 0) {
            return 0;
        }
        long size = c.size.get();
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int done = 0; done < n;) {
            long at = position + done;
            int inPage = (int) (at % PAGE_SIZE);
            int chunk = Math.min(PAGE_SIZE - inPage, n - done);
            readChunk(c, at / PAGE_SIZE, inPage, buffer, offset + done, chunk);
            done += chunk;
        }
        return n;
    }

    @Override
    public void write(long position, byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        PageIo.requireNonNegative(position);
        if (position + length < 0) {
            throw new IllegalArgumentException("range at " + position + " of " + length + " bytes overflows a long");
        }
        Cache c = live();
        if (c.mode != Mode.READ_WRITE) {
            throw new AccessDeniedException(c.file.toString(), null, "opened read-only");
        }
        for (int done = 0; done < length;) {
            long at = position + done;
            int inPage = (int) (at % PAGE_SIZE);
            int chunk = Math.min(PAGE_SIZE - inPage, length - done);
            writeChunk(c, at / PAGE_SIZE, inPage, buffer, offset + done, chunk);
            done += chunk;
        }
    }

    @Override
    public long size() {
        return live().size.get();
    }

    /** Writes back every page dirty when it starts (in file order), then forces the channel. */
    @Override
    public void flush() throws IOException {
        Cache c = live();
        List<Page> dirty = new ArrayList<>();
        for (Page page : c.directory.values()) {
            if (page.dirty) {
                dirty.add(page);
            }
        }
        dirty.sort(Comparator.comparingLong(p -> p.number));
        for (Page page : dirty) {
            long stamp = page.lock.writeLock();
            try {
                if (!page.evicted && page.dirty) { // an evicted page was written back by its eviction
                    writeBack(c, page);
                }
            } finally {
                page.lock.unlockWrite(stamp);
            }
        }
        if (c.mode == Mode.READ_WRITE) {
            c.channel.force(true);
        }
    }

    /**
     * Evicts pages and releases their frames, keeping one: each representative in turn gives its
     * least recently used page (second chance as on a miss), until enough are given or none has
     * one to give.
     */
    @Override
    public int trim(int frames) throws IOException {
        if (frames < 0) {
            throw new IllegalArgumentException("cannot trim " + frames + " frames");
        }
        Cache c = cache;
        State s = state;
        if (c == null || (s != State.OPEN && s != State.IMPORTED)) {
            return 0;
        }
        int given = 0;
        for (boolean progress = true; progress && given < frames;) {
            progress = false;
            for (Representative r : c.representatives) {
                if (given >= frames || c.directory.size() <= 1) {
                    return given;
                }
                r.lock.lock();
                try {
                    State now = state;
                    if (now != State.OPEN && now != State.IMPORTED) {
                        return given; // closed meanwhile: close releases the rest
                    }
                    Frame frame = evictOne(c, r);
                    if (frame != null) {
                        c.account.release(frame);
                        given++;
                        progress = true;
                    }
                } finally {
                    r.lock.unlock();
                }
            }
        }
        return given;
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
        synchronized (lifecycle) {
            stub = s;
            Cache c = cache;
            if (c != null && (state == State.OPEN || state == State.IMPORTED)) {
                c.account.reclaimThrough(s);
            }
        }
    }

    @Override
    public FcmStatistics statistics() {
        FcmStatistics s = new FcmStatistics();
        Cache c = cache;
        if (c == null) {
            return s;
        }
        for (Representative r : c.representatives) {
            r.lock.lock();
            try {
                s.hits += r.hits;
                s.misses += r.misses;
                s.evictions += r.evictions;
                s.framesHeld += r.pages.size();
            } finally {
                r.lock.unlock();
            }
        }
        for (Page page : c.directory.values()) {
            if (page.dirty) {
                s.dirtyPages++;
            }
        }
        FcmStatistics base = baseline;
        s.hits -= base.hits;
        s.misses -= base.misses;
        s.evictions -= base.evictions;
        s.writeBacks = c.writeBacks.sum() - base.writeBacks;
        return s;
    }

    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (state == State.UNOPENED) {
                state = State.CLOSED;
                return;
            }
            if (state != State.OPEN && state != State.IMPORTED) {
                return;
            }
            state = State.CLOSED; // calls that start from now on fail; those under way find their pages evicted
            Cache c = cache;
            IOException failure = null;
            for (Representative r : c.representatives) {
                r.lock.lock();
                try {
                    failure = evictAll(c, r, failure);
                } finally {
                    r.lock.unlock();
                }
            }
            try {
                if (c.mode == Mode.READ_WRITE) {
                    c.channel.force(true);
                }
            } catch (IOException e) {
                failure = chain(failure, e);
            }
            c.account.close();
            try {
                c.channel.close();
            } catch (IOException e) {
                failure = chain(failure, e);
            }
            LOG.debug("replicated FCM closed {}", c.file);
            if (failure != null) {
                throw failure;
            }
        }
    }

    // ---- state transfer -------------------------------------------------------------------

    @Override
    public long exportProtocols() {
        return byReference ? FcmProtocols.CANONICAL_BIT | 1L << REPRESENTATIVES : FcmProtocols.CANONICAL_BIT;
    }

    @Override
    public long importProtocols() {
        return exportProtocols();
    }

    /**
     * The canonical state (descriptors of every representative's pages; recency ranks interleave
     * the representatives' LRU lists, most recent first, as there is no global order), or the
     * cache itself. Either way it stays this instance's until {@link #swappedOut()}.
     */
    @Override
    public Object exportState(int protocol) {
        requireOffered(protocol);
        synchronized (lifecycle) {
            if (state != State.OPEN && state != State.IMPORTED) {
                throw new IllegalStateException(this + " has no state to export: it is " + describe(state));
            }
            Cache c = cache;
            return protocol == REPRESENTATIVES ? c : canonical(c);
        }
    }

    /** Records what {@code state} hands over, changing nothing of it (the swap may still roll back). */
    @Override
    public void importState(int protocol, Object state) {
        requireOffered(protocol);
        Objects.requireNonNull(state, "state");
        Cache imported;
        FcmStatistics base = new FcmStatistics();
        if (protocol == REPRESENTATIVES && state instanceof Cache c) {
            imported = c;
            base = countersOf(c);
        } else if (protocol == REPRESENTATIVES) {
            // the cache of another revision of this bundle (another class loader): its canonical form
            if (!(state instanceof Supplier<?> s) || !(s.get() instanceof FcmState canonical)) {
                throw new IllegalArgumentException("protocol " + REPRESENTATIVES + " carries a replicated FCM's cache, not " + state);
            }
            imported = fromCanonical(canonical);
        } else {
            imported = fromCanonical((FcmState) state);
        }
        synchronized (lifecycle) {
            if (this.state != State.UNOPENED && this.state != State.IMPORTED) {
                throw new IllegalStateException(this + " cannot import: it is " + describe(this.state));
            }
            baseline = base;
            cache = imported;
            this.state = State.IMPORTED;
            FileCacheManager bound = stub;
            if (bound != null) {
                imported.account.reclaimThrough(bound); // the stub, even if the old instance (another implementation) named itself
            }
        }
    }

    /** The new instance owns the channel, account and frames now: forget them, release nothing. */
    @Override
    public void swappedOut() {
        synchronized (lifecycle) {
            cache = null;
            state = State.SWAPPED_OUT;
        }
    }

    /** The swap rolled back: the old instance still owns what this one imported; forget it, release nothing. */
    @Override
    public void abandoned() {
        synchronized (lifecycle) {
            if (state == State.IMPORTED || state == State.UNOPENED) {
                cache = null;
                state = State.CLOSED;
            }
        }
    }

    @Override
    public String toString() {
        Cache c = cache;
        return "replicated FCM@" + Integer.toHexString(System.identityHashCode(this)) + (c == null ? "" : " of " + c.file);
    }

    // ---- introspection for tests ------------------------------------------------------------

    /** The index of the representative the calling thread works through. */
    int representativeOfCurrentThread() {
        return live().ofCurrentThread().index;
    }

    /** The index of the representative that owns resident page {@code number}, or -1. */
    int ownerOf(long number) {
        Page page = live().directory.get(number);
        return page == null ? -1 : page.owner.index;
    }

    /** Per representative: {hits, misses, evictions, pages}. */
    long[][] representativeCounters() {
        Representative[] reps = live().representatives;
        long[][] counters = new long[reps.length][];
        for (Representative r : reps) {
            r.lock.lock();
            try {
                counters[r.index] = new long[] {r.hits, r.misses, r.evictions, r.pages.size()};
            } finally {
                r.lock.unlock();
            }
        }
        return counters;
    }

    // ---- the page paths ---------------------------------------------------------------------

    /** Copies part of page {@code number}: optimistically (no write to shared memory), else under its read lock. */
    private void readChunk(Cache c, long number, int inPage, byte[] buffer, int offset, int length) throws IOException {
        for (;;) {
            Page page = lookup(c, number, false).page();
            StampedLock lock = page.lock;
            long stamp = lock.tryOptimisticRead();
            if (stamp != 0 && !page.evicted) {
                page.frame.buffer().get(inPage, buffer, offset, length);
                if (lock.validate(stamp)) {
                    return;
                }
            }
            stamp = lock.readLock();
            try {
                if (!page.evicted) {
                    page.frame.buffer().get(inPage, buffer, offset, length);
                    return;
                }
            } finally {
                lock.unlockRead(stamp);
            }
        }
    }

    /** Writes part of page {@code number} under its write lock; the size grows before the lock is released (a write-back must see it). */
    private void writeChunk(Cache c, long number, int inPage, byte[] buffer, int offset, int length) throws IOException {
        for (;;) {
            Pin pin = lookup(c, number, length == PAGE_SIZE);
            Page page = pin.page();
            long stamp = pin.stamp() != 0 ? pin.stamp() : page.lock.writeLock();
            try {
                if (page.evicted) {
                    continue;
                }
                page.frame.buffer().put(inPage, buffer, offset, length);
                page.dirty = true;
                long end = number * PAGE_SIZE + inPage + length;
                for (long size = c.size.get(); size < end && !c.size.compareAndSet(size, end); size = c.size.get()) {
                    // CAS only when the file grows: no shared write on other writes
                }
                return;
            } finally {
                page.lock.unlockWrite(stamp);
            }
        }
    }

    /**
     * Page {@code number}, resident anywhere, or faulted in by the calling thread's
     * representative with a frame from the pool, from its own LRU page, or from another
     * representative's (in that order). If {@code overwrite} and the page was made here it is not
     * read from the file and comes back write-locked.
     */
    private Pin lookup(Cache c, long number, boolean overwrite) throws IOException {
        Representative r = c.ofCurrentThread();
        Frame spare = null; // in flight: held by the account, in no page
        try {
            for (int round = 0;; round++) {
                r.lock.lock();
                try {
                    requireNotClosed();
                    Page page = c.directory.get(number);
                    if (page != null) {
                        r.hits++;
                        if (page.owner == r) {
                            r.pages.get(number); // to the most recently used end
                        } else if (!page.referenced) {
                            page.referenced = true; // a second chance at its owner
                        }
                        return new Pin(page, 0);
                    }
                    Frame frame = spare != null ? spare : c.account.allocate();
                    spare = null;
                    if (frame == null) {
                        frame = evictOne(c, r);
                    }
                    if (frame != null) {
                        Pin pin = fault(c, r, number, frame, overwrite);
                        if (pin != null) {
                            return pin;
                        }
                        spare = frame; // another representative faulted it in meanwhile: use theirs
                        continue;
                    }
                } finally {
                    r.lock.unlock();
                }
                spare = steal(c, r, round);
            }
        } finally {
            if (spare != null) {
                c.account.release(spare);
            }
        }
    }

    /** Under r's lock: publishes page {@code number} in {@code frame}, or returns null if another representative did first. */
    private Pin fault(Cache c, Representative r, long number, Frame frame, boolean overwrite) throws IOException {
        Page page = new Page(number, frame, r, false);
        long stamp = page.lock.writeLock(); // before it is visible: nobody reads an unfilled frame
        if (c.directory.putIfAbsent(number, page) != null) {
            page.lock.unlockWrite(stamp);
            return null;
        }
        r.pages.put(number, page);
        r.misses++;
        if (overwrite) {
            return new Pin(page, stamp);
        }
        try {
            fill(c, frame, number);
        } catch (IOException | RuntimeException e) {
            page.evicted = true;
            c.directory.remove(number, page);
            r.pages.remove(number);
            page.lock.unlockWrite(stamp);
            c.account.release(frame);
            throw e;
        }
        page.lock.unlockWrite(stamp);
        return new Pin(page, 0);
    }

    /**
     * Under r's lock: evicts r's least recently used page, passing over once those that other
     * representatives used since (second chance), and returns its frame, still held; null if r
     * holds no page. A dirty victim is written back first; if that fails it stays resident.
     */
    private Frame evictOne(Cache c, Representative r) throws IOException {
        int chances = r.pages.size();
        for (;;) {
            Iterator<Page> eldest = r.pages.values().iterator();
            if (!eldest.hasNext()) {
                return null;
            }
            Page victim = eldest.next();
            if (victim.referenced && chances-- > 0) {
                victim.referenced = false;
                r.pages.get(victim.number); // to the most recently used end
                continue;
            }
            long stamp = victim.lock.writeLock();
            try {
                if (victim.dirty) {
                    writeBack(c, victim);
                }
                victim.evicted = true;
                c.directory.remove(victim.number, victim);
                r.pages.remove(victim.number);
                r.evictions++;
                return victim.frame;
            } finally {
                victim.lock.unlockWrite(stamp);
            }
        }
    }

    /**
     * Holding no lock: a frame for r, which has none to evict, from the pool or another
     * representative's LRU page. While frames of this file are in flight (another thread holds
     * one between an eviction and its page) it looks again, a bounded number of times.
     */
    private Frame steal(Cache c, Representative r, int round) throws IOException {
        Frame frame = c.account.allocate();
        if (frame != null) {
            return frame;
        }
        Representative[] reps = c.representatives;
        for (int i = 1; i < reps.length; i++) {
            Representative other = reps[(r.index + i) % reps.length];
            other.lock.lock();
            try {
                requireNotClosed();
                frame = evictOne(c, other);
            } finally {
                other.lock.unlock();
            }
            if (frame != null) {
                return frame;
            }
        }
        if (c.account.held() == 0) {
            return awaitFrame(c);
        }
        if (round >= STEAL_ROUNDS) {
            throw new IllegalStateException("frame pool exhausted (budget " + pool.budget() + " frames, " + pool.inUse()
                    + " in use) and " + this + " found no page to evict in " + STEAL_ROUNDS + " rounds");
        }
        Thread.yield(); // the frames of this file are in flight: let their threads place them
        return null;
    }

    /**
     * Holding no lock, when this file holds no frame at all: one the pool reclaims from the other
     * files ({@link Account#awaitFrame}).
     *
     * @throws IllegalStateException if none came within the pool's reclaim timeout
     * @throws InterruptedIOException if the thread was interrupted while it waited (its interrupt
     *         status set again)
     */
    private Frame awaitFrame(Cache c) throws InterruptedIOException {
        return Reclaim.awaitFrame(pool, c.account, this);
    }

    /** Under r's lock (close): writes back and releases every page of r; returns the first failure, chained. */
    private IOException evictAll(Cache c, Representative r, IOException failure) {
        List<Page> pages = new ArrayList<>(r.pages.values());
        pages.sort(Comparator.comparingLong(p -> p.number));
        for (Page page : pages) {
            long stamp = page.lock.writeLock();
            try {
                if (page.dirty) {
                    writeBack(c, page);
                }
            } catch (IOException e) {
                LOG.warn("replicated FCM of {}: dirty page {} lost on close", c.file, page.number, e);
                failure = chain(failure, e);
            } finally {
                page.evicted = true;
                c.directory.remove(page.number, page);
                c.account.release(page.frame);
                page.lock.unlockWrite(stamp);
            }
        }
        r.pages.clear();
        return failure;
    }

    /** Reads page {@code number} from the file into {@code frame}; zeros past the file's end. */
    private static void fill(Cache c, Frame frame, long number) throws IOException {
        PageIo.fill(c.channel, frame, number);
    }

    /** Under the page's write lock: writes its bytes up to the file's size. */
    private static void writeBack(Cache c, Page page) throws IOException {
        PageIo.writeBack(c.channel, page.frame, page.number, c.size.get(), c.directIo);
        page.dirty = false;
        c.writeBacks.increment();
    }

    // ---- state transfer helpers -------------------------------------------------------------

    private static FcmState canonical(Cache c) {
        List<List<Page>> lists = new ArrayList<>();
        int total = 0;
        for (Representative r : c.representatives) {
            r.lock.lock();
            try {
                List<Page> mostRecentFirst = new ArrayList<>(r.pages.values());
                java.util.Collections.reverse(mostRecentFirst);
                lists.add(mostRecentFirst);
                total += mostRecentFirst.size();
            } finally {
                r.lock.unlock();
            }
        }
        List<PageDescriptor> descriptors = new ArrayList<>(total);
        for (int depth = 0, rank = 0; rank < total; depth++) {
            for (List<Page> list : lists) {
                if (depth < list.size()) {
                    Page page = list.get(depth);
                    descriptors.add(new PageDescriptor(page.number, page.frame, page.dirty, rank++));
                }
            }
        }
        return new FcmState(c.file, c.mode, c.channel, c.size.get(), c.account, descriptors);
    }

    /** A new cache over the state's channel, account and frames: page p goes to representative p mod N, least recent first. */
    private Cache fromCanonical(FcmState s) {
        List<PageDescriptor> byAge = new ArrayList<>(s.pages());
        byAge.sort(Comparator.comparingInt(PageDescriptor::recency).reversed());
        Set<Long> numbers = new HashSet<>();
        for (PageDescriptor d : byAge) {
            if (!numbers.add(d.page())) {
                throw new IllegalArgumentException("page " + d.page() + " is described twice");
            }
            if (d.frame().owner() != s.account()) {
                throw new IllegalArgumentException("page " + d.page() + ": " + d.frame() + " is not owned by " + s.account());
            }
        }
        Cache c = new Cache(s.file(), s.mode(), s.channel(), s.account(), s.size(), representatives, pool.directIo());
        for (PageDescriptor d : byAge) {
            Representative r = c.representatives[(int) Math.floorMod(d.page(), (long) representatives)];
            Page page = new Page(d.page(), d.frame(), r, d.dirty());
            r.pages.put(d.page(), page);
            c.directory.put(d.page(), page);
        }
        return c;
    }

    private static FcmStatistics countersOf(Cache c) {
        FcmStatistics s = new FcmStatistics();
        for (Representative r : c.representatives) {
            r.lock.lock();
            try {
                s.hits += r.hits;
                s.misses += r.misses;
                s.evictions += r.evictions;
            } finally {
                r.lock.unlock();
            }
        }
        s.writeBacks = c.writeBacks.sum();
        return s;
    }

    // ---- states and checks ------------------------------------------------------------------

    /** The cache of an open instance; the first call after a committed swap makes an imported instance open. */
    private Cache live() {
        State s = state;
        if (s == State.IMPORTED) {
            synchronized (lifecycle) {
                if (state == State.IMPORTED) {
                    state = State.OPEN;
                }
                s = state;
            }
        }
        if (s != State.OPEN) {
            throw new IllegalStateException(this + " is " + describe(s));
        }
        return cache;
    }

    private void requireNotClosed() {
        State s = state;
        if (s != State.OPEN && s != State.IMPORTED) {
            throw new IllegalStateException(this + " is " + describe(s));
        }
    }

    private void requireOffered(int protocol) {
        if (protocol < 0 || protocol > 63 || (exportProtocols() & 1L << protocol) == 0) {
            throw new IllegalArgumentException("protocol " + protocol + " is not offered (vector "
                    + Long.toBinaryString(exportProtocols()) + ")");
        }
    }

    private static String describe(State s) {
        return s.name().toLowerCase().replace('_', ' ');
    }

    private static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}

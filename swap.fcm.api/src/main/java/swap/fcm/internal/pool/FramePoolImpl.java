package swap.fcm.internal.pool;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;

/**
 * A {@link FramePool} with a budget that may change while frames are in use. Lock-free, but for
 * the bounded wait of {@link Account#awaitFrame}; reclaims on one thread of its own, made when
 * first needed and ended after a second idle or by {@link #close()}.
 */
public class FramePoolImpl implements FramePool {

    /*
     * Frames are made lazily and recycled through a free queue, never freed, so memory grows to
     * the high-water mark of frames in use. A frame is a page-aligned slice of a slab, a direct
     * buffer of up to SLAB_FRAMES frames (plus one page of slack for the alignment) made when the
     * previous slab is used up; direct I/O needs the alignment, and one allocation per frame
     * could not promise it without wasting a page per frame. The budget is enforced on
     * inUse with a CAS loop *before* a frame is taken from the queue or made: inUse never
     * exceeds the budget (unless the budget is lowered below it; then allocations fail until
     * enough frames are released).
     *
     * Ownership: each frame's owner is an AtomicReference-like field changed only by CAS
     * (null -> account on allocate, account -> null on release), so a frame can never be owned
     * by two accounts, and a release by a non-owner fails without changing anything. An
     * account's held count moves with its CASes; inUse with the pool's. Hence, whenever no
     * allocate/release is between its steps: inUse == sum of held == frames with an owner.
     * The queue's handoff (release enqueues, allocate polls) is the happens-before edge between
     * a frame's successive owners.
     *
     * Reserve: after each allocation, if the free frames (budget - inUse) are down to half the
     * free target or fewer, the allocation asks for a pass, which wants the free target back.
     * The frames it wants are asked of every account that can spare some, in proportion to what
     * each holds (rounded up, so that small accounts give one each in turn; the list starts at a
     * rotating place, so that the same ones are not always first), at most all but one frame each;
     * if that left some wanted (an account gave less than asked), a second round asks the same
     * accounts again for the rest. The allocation itself never reclaims and never waits.
     *
     * Reclaim: an account with no frame to reuse calls awaitFrame, which counts itself in
     * `waiting`, adds its thread to `waiters` and asks for a reclaim pass. While waiting > 0,
     * allocate returns null to everyone (the gate), so frames released meanwhile stay free for
     * the waiters, which take them with the same reserve/take as allocate, ignoring the gate;
     * each release unparks the waiters, and a waiter also wakes every RETRY_NANOS on its own (a
     * release between its last try and its park is never lost for longer than that), asking for
     * another pass every REREQUEST_NANOS while it gets nothing; it gives up at once when no other
     * account could give a frame (all at their last one), as waiting would not help. A pass (on
     * the reclaim thread, coalesced: at most one scheduled at a time) wants back the frames in use
     * above the budget less the free target (or, with no free target, some slack for the next
     * waiters), plus one per waiter, asked as above.
     * The reclaimers are stubs' trim in the container: they may wait for a swap of their entry
     * (bounded by the swap), they take their cache's lock, and they never wait for this pool.
     */

    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger accounts = new AtomicInteger();
    private final ConcurrentLinkedQueue<FrameImpl> free = new ConcurrentLinkedQueue<>();
    private volatile int budget;
    private final boolean directIo;
    private volatile long reclaimTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_RECLAIM_TIMEOUT_MS);
    /** As configured: {@link #AUTO_FREE_FRAMES} or a number of frames. */
    private volatile int freeFrames = AUTO_FREE_FRAMES;
    /** Where the next pass starts in its list of accounts. Reclaim thread only. */
    private int rotation;
    /** The open accounts (reclaim candidates). */
    private final Set<AccountImpl> open = ConcurrentHashMap.newKeySet();
    /** Accounts in awaitFrame now; while positive, allocate returns null. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean passScheduled = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong reclaimed = new AtomicLong();
    private final ThreadPoolExecutor reclaimer;
    private final String reclaimThreadName;
    private volatile boolean closed;
    private static final Logger LOG = LoggerFactory.getLogger(FramePoolImpl.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** How long a waiter parks at most before it looks again by itself. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How often a waiter that got nothing asks for another pass. */
    private static final long REREQUEST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The slab new frames are cut from, and the next frame's offset in it. Guarded by slabLock. */
    private final Object slabLock = new Object();
    private ByteBuffer slab;
    private int slabNext;
    /** Frames per slab, at most. */
    static final int SLAB_FRAMES = 64;
    private static final int PAGE = FileCacheManager.PAGE_SIZE;

    public FramePoolImpl(int budget) {
        this(budget, false);
    }

    public FramePoolImpl(int budget, boolean directIo) {
        setBudget(budget);
        this.directIo = directIo;
        reclaimThreadName = "swap-fcm-reclaim-" + POOLS.incrementAndGet();
        reclaimer = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, reclaimThreadName);
            t.setDaemon(true);
            return t;
        });
        reclaimer.allowCoreThreadTimeOut(true);
    }

    @Override
    public Duration reclaimTimeout() {
        return Duration.ofNanos(reclaimTimeoutNanos);
    }

    /**
     * Changes how long {@link Account#awaitFrame} waits at most.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public final void setReclaimTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("frame pool reclaim timeout must not be negative, not " + timeout);
        }
        reclaimTimeoutNanos = timeout.toNanos();
    }

    /**
     * Sets how many frames the pool keeps free ({@link #freeTarget()}): {@link #AUTO_FREE_FRAMES}
     * for 1/{@value #AUTO_FREE_DIVISOR} of the budget, 0 to reclaim only for a cache with no
     * frame. Takes effect with the next allocation.
     *
     * @throws IllegalArgumentException if {@code frames < -1}
     */
    public final void setFreeFrames(int frames) {
        if (frames < AUTO_FREE_FRAMES) {
            throw new IllegalArgumentException("frame pool " + FREE_FRAMES + " must be 0 or more, or " + AUTO_FREE_FRAMES
                    + " for 1/" + AUTO_FREE_DIVISOR + " of the budget, not " + frames);
        }
        freeFrames = frames;
    }

    @Override
    public int freeTarget() {
        int b = budget;
        int f = freeFrames;
        return Math.min(f == AUTO_FREE_FRAMES ? Math.max(1, b / AUTO_FREE_DIVISOR) : f, b / 2);
    }

    /** The name of the thread that reclaims (while there is one). */
    public String reclaimThreadName() {
        return reclaimThreadName;
    }

    /** Reclaim passes run so far. */
    public long reclaimPasses() {
        return passes.get();
    }

    /** Frames the reclaimers gave back so far. */
    public long framesReclaimed() {
        return reclaimed.get();
    }

    /**
     * Stops reclaiming (a pass under way finishes its current reclaimer); waiters get {@code null}
     * at their timeout. The accounts and frames stay usable. Waits at most 5 seconds for the
     * reclaim thread to end.
     */
    public void close() {
        closed = true;
        for (Runnable queued : reclaimer.shutdownNow()) {
            if (queued instanceof Future) { // a marker of awaitPasses: its waiter goes on to wait for the thread
                ((Future<?>) queued).cancel(false);
            }
        }
        try {
            if (!reclaimer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{}: the reclaim thread did not end within 5 s (a reclaimer is stuck)", this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every reclaim pass asked for before this call has ended (the reclaim thread runs
     * them in order, so a marker queued behind them ends after them); after {@link #close()}, until
     * the reclaim thread has ended. Whoever wants the pool's count to match what the caches hold
     * calls this once their own calls have stopped: a pass under way takes a frame out of its cache
     * before it gives it back to the pool.
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitPasses(Duration timeout) throws InterruptedException {
        FutureTask<Void> marker = new FutureTask<>(() -> { }, null);
        try {
            reclaimer.execute(marker);
        } catch (RejectedExecutionException e) { // closed
            return reclaimer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            marker.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (CancellationException | ExecutionException e) { // shut down while it was queued
            return reclaimer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Tasks queued behind the pass under way (passes and {@link #awaitPasses} markers); for tests. */
    int queuedOnReclaimThread() {
        return reclaimer.getQueue().size();
    }

    @Override
    public boolean directIo() {
        return directIo;
    }

    /**
     * Changes the budget. Frames in use above a lowered budget stay with their owners; allocations
     * fail until enough are released.
     *
     * @throws IllegalArgumentException if {@code budget < 1}
     */
    public final void setBudget(int budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("frame pool budget must be at least 1 frame, not " + budget);
        }
        this.budget = budget;
        if (inUse.get() > budget) {
            requestReclaim(); // give back what is above the new budget
        }
    }

    @Override
    public int budget() {
        return budget;
    }

    @Override
    public int inUse() {
        return inUse.get();
    }

    @Override
    public int openAccounts() {
        return accounts.get();
    }

    /** Frames made so far (in use or free): the pool's memory is this times the page size. */
    public int framesMade() {
        return made.get();
    }

    @Override
    public Account openAccount(String name) {
        Objects.requireNonNull(name, "name");
        accounts.incrementAndGet();
        AccountImpl account = new AccountImpl(name);
        open.add(account);
        return account;
    }

    @Override
    public String toString() {
        return "frame pool: " + inUse() + " of " + budget + " frames in use, " + openAccounts() + " accounts"
                + (directIo ? ", direct I/O" : "") + ", " + reclaimed.get() + " frames reclaimed in " + passes.get() + " passes";
    }

    private void requestReclaim() {
        if (closed || !passScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            reclaimer.execute(this::reclaimPass);
        } catch (RejectedExecutionException e) { // closed meanwhile
            passScheduled.set(false);
        }
    }

    /** Whether an account other than {@code waiter} could spare a frame. */
    private boolean somethingToReclaim(AccountImpl waiter) {
        for (AccountImpl a : open) {
            if (a != waiter && a.canSpare()) {
                return true;
            }
        }
        return false;
    }

    /** After an allocation: asks for a pass if the free frames are down to half the free target. */
    private void keepFree() {
        int target = freeTarget();
        if (target > 0 && budget - inUse.get() <= target / 2) {
            requestReclaim();
        }
    }

    /**
     * One pass: asks every account that can spare frames, in proportion to what it holds, for the
     * frames above the budget less the free target, plus one per waiter.
     */
    private void reclaimPass() {
        passScheduled.set(false); // a request from now on schedules another pass
        int waiters = waiting.get();
        int b = budget;
        int target = freeTarget();
        int reserve = target > 0 ? target : waiters > 0 ? Math.max(1, b / 64) : 0;
        int want = Math.max(0, inUse.get() + reserve - b) + waiters;
        if (want == 0) {
            return;
        }
        passes.incrementAndGet();
        List<AccountImpl> candidates = new ArrayList<>();
        long total = 0;
        for (AccountImpl a : open) {
            if (a.canSpare()) {
                candidates.add(a);
                total += a.held();
            }
        }
        int freed = 0;
        int n = candidates.size();
        if (n > 0) {
            int start = Math.floorMod(rotation++, n);
            for (int round = 0; round < 2 && freed < want; round++) {
                for (int i = 0; i < n && freed < want; i++) {
                    if (closed || Thread.currentThread().isInterrupted()) {
                        break;
                    }
                    AccountImpl a = candidates.get((start + i) % n);
                    int held = a.held();
                    // first round: the account's share of the want, rounded up; second: whatever is still wanted
                    int share = round == 0 ? (int) Math.min(want, (want * (long) held + total - 1) / Math.max(1, total)) : want;
                    freed += trim(a, Math.min(held - 1, Math.min(share, want - freed)));
                }
            }
        }
        reclaimed.addAndGet(freed);
        LOG.debug("{}: a reclaim pass wanted {} frames ({} waiting) and got {} from {} candidates", this, want, waiters, freed, n);
    }

    /** Asks {@code a}'s cache for {@code ask} frames; the frames it gave back (0 if it failed or is gone). */
    private int trim(AccountImpl a, int ask) {
        FileCacheManager r = a.reclaimer;
        if (ask <= 0 || r == null || a.closed) {
            return 0;
        }
        try {
            return Math.max(0, r.trim(ask));
        } catch (Exception | LinkageError e) {
            LOG.debug("{}: reclaiming {} frames from {} failed; asking the others", this, ask, a, e);
            return 0;
        }
    }

    private boolean reserve() {
        for (int n = inUse.get(); n < budget; n = inUse.get()) {
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private FrameImpl take() {
        FrameImpl frame = free.poll();
        if (frame == null) {
            frame = new FrameImpl(this, made.getAndIncrement(), cut());
        }
        return frame;
    }

    /** A new page-aligned frame buffer from the current slab, or from a new one. */
    private ByteBuffer cut() {
        synchronized (slabLock) {
            if (slab == null || slabNext == slab.capacity()) {
                int frames = Math.max(1, Math.min(SLAB_FRAMES, budget - made.get() + 1));
                slab = ByteBuffer.allocateDirect((frames + 1) * PAGE).alignedSlice(PAGE);
                slabNext = 0;
            }
            ByteBuffer frame = slab.slice(slabNext, PAGE);
            slabNext += PAGE;
            return frame;
        }
    }

    private final class AccountImpl implements Account {
        private final String name;
        private final AtomicInteger held = new AtomicInteger();
        private volatile boolean closed;
        private volatile FileCacheManager reclaimer;

        AccountImpl(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Frame allocate() {
            requireOpen();
            if (waiting.get() > 0) {
                return null; // the gate: frames freed now are for the waiters
            }
            FrameImpl frame = tryTake();
            keepFree();
            return frame;
        }

        @Override
        public Frame awaitFrame() throws InterruptedException {
            Frame frame = allocate();
            if (frame != null) {
                return frame;
            }
            Thread me = Thread.currentThread();
            long start = System.nanoTime();
            long deadline = start + reclaimTimeoutNanos;
            long lastRequest = start;
            waiting.incrementAndGet();
            waiters.add(me);
            try {
                requestReclaim();
                for (;;) {
                    frame = tryTake();
                    if (frame != null) {
                        return frame;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while " + name + " waited for a frame");
                    }
                    if (!somethingToReclaim(this)) {
                        // every other account is down to its last frame: waiting would not help; but a
                        // pass may have freed frames since the try above (which is how they got there)
                        return tryTake();
                    }
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        return null;
                    }
                    if (now - lastRequest >= REREQUEST_NANOS) {
                        lastRequest = now;
                        requestReclaim();
                    }
                    LockSupport.parkNanos(FramePoolImpl.this, Math.min(deadline - now, RETRY_NANOS));
                }
            } finally {
                waiters.remove(me);
                waiting.decrementAndGet();
            }
        }

        private FrameImpl tryTake() {
            if (!reserve()) {
                return null;
            }
            FrameImpl frame = take();
            if (!frame.owner.compareAndSet(null, this)) {
                throw new AssertionError("free frame " + frame.index + " has an owner: " + frame.owner.get());
            }
            held.incrementAndGet();
            return frame;
        }

        /** Whether the pool may ask this account for frames: it names a cache and holds more than its last frame. */
        boolean canSpare() {
            return reclaimer != null && held() > 1;
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("frame pool account " + name + " is closed");
            }
        }

        @Override
        public void reclaimThrough(FileCacheManager reclaimer) {
            this.reclaimer = reclaimer;
        }

        @Override
        public void release(Frame frame) {
            if (!(frame instanceof FrameImpl f) || f.pool != FramePoolImpl.this) {
                throw new IllegalArgumentException("frame " + frame + " is not from this pool");
            }
            if (!f.owner.compareAndSet(this, null)) {
                Account owner = f.owner.get();
                throw new IllegalStateException("frame " + f.index + " released by account " + name + " but owned by "
                        + (owner == null ? "nobody (released twice?)" : "account " + owner.name()));
            }
            free.add(f); // hands the frame (and the owner's writes to it) to the next allocate
            inUse.decrementAndGet();
            // after inUse: a waiter that sees this account down to its last frame (canSpare) and
            // tries once more then finds the frame free
            held.decrementAndGet();
            if (waiting.get() > 0) {
                for (Thread waiter : waiters) {
                    LockSupport.unpark(waiter);
                }
            }
        }

        @Override
        public int held() {
            return held.get();
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            int n = held.get();
            if (n != 0) {
                throw new IllegalStateException("frame pool account " + name + " closed while it owns " + n + " frames");
            }
            closed = true;
            reclaimer = null;
            open.remove(this);
            accounts.decrementAndGet();
        }

        @Override
        public String toString() {
            return "account " + name + " (" + held() + " frames)";
        }
    }

    private static final class FrameImpl implements Frame {
        final FramePoolImpl pool;
        final int index;
        final ByteBuffer buffer;
        final AtomicReference<Account> owner = new AtomicReference<>();

        FrameImpl(FramePoolImpl pool, int index, ByteBuffer buffer) {
            this.pool = pool;
            this.index = index;
            this.buffer = buffer;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public Account owner() {
            return owner.get();
        }

        @Override
        public String toString() {
            return "frame " + index;
        }
    }
}

package swap.fcm.internal.pool;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;

/**
 * A {@link FramePool} with a budget that may change while frames are in use. Lock-free.
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
     */

    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger accounts = new AtomicInteger();
    private final ConcurrentLinkedQueue<FrameImpl> free = new ConcurrentLinkedQueue<>();
    private volatile int budget;
    private final boolean directIo;
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
        return new AccountImpl(name);
    }

    @Override
    public String toString() {
        return "frame pool: " + inUse() + " of " + budget + " frames in use, " + openAccounts() + " accounts"
                + (directIo ? ", direct I/O" : "");
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

        AccountImpl(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Frame allocate() {
            if (closed) {
                throw new IllegalStateException("frame pool account " + name + " is closed");
            }
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
            held.decrementAndGet();
            free.add(f); // hands the frame (and the owner's writes to it) to the next allocate
            inUse.decrementAndGet();
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

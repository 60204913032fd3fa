package swap.internal.quiesce;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread's calls in progress through OTT entries, innermost last: for each call, the index
 * of the {@link GenerationCounter} it entered and a sequence number unique within this stack.
 * Owned and written by one thread; read by any thread that flips a generation (see
 * {@link GenerationCounter}).
 *
 * <p>Memory layout: the owner writes a frame with a plain store and then publishes the new
 * depth; readers read {@link #depth} first (volatile) and then the frames below it. A frame read
 * after its owner has left and reused the slot shows another sequence number, which is all a
 * reader needs to tell that the call it was waiting for has left.
 */
public final class CallStack {

    /*
     * frames[i] = seq << INDEX_BITS | counter index      (frame i, one word: one store per call)
     *
     * Invariants (owner thread):
     *  - frames [0, depth) are the calls in progress, outermost first;
     *  - seq strictly increases across pushes, so (stack, i, frames[i]) names one call: a later
     *    call at the same depth has another word. seq has 64 - INDEX_BITS = 40 bits: it repeats
     *    after 2^40 pushes of one thread, which a drain, re-checked at least every millisecond
     *    while awaited, cannot mistake for the call it holds;
     *  - a frame's counter index is not reused while the frame is below depth: the call in
     *    progress keeps its entry, and so its counter, reachable;
     *  - a drain that waits for this stack's calls at index waitIndex and above owns `waiter`
     *    (set by compare-and-set, so one drain at a time) and writes waitIndex; leave() reads
     *    waitIndex after its release store and, once the depth is at or below it, resets it and
     *    unparks the waiter. The caller has no fence between the two, so a wake-up can be missed
     *    when the leave races the drain's registration: drains park with a bounded timeout.
     *  - push publishes with a volatile store (portable fences: a full fence, the StoreLoad that
     *    orders the frame before the caller's load of the target) or a release store followed by
     *    a compiler barrier (asymmetric and handshake fences, see Fences), and then, if a flip of the
     *    counter is waiting for acknowledgements, a release store of the handshake number (after the
     *    frame, before the target load: CallStacks.handshake); pop publishes with a release store
     *    (everything the call did happens-before a reader that sees the smaller depth).
     * Frames are plain longs: a stale frame above depth keeps nothing alive.
     */

    /** Bits of a frame that hold the counter index; at most 2^24 counters are live at once. */
    static final int INDEX_BITS = 24;
    static final int MAX_INDEX = (1 << INDEX_BITS) - 1;
    private static final long INDEX_MASK = MAX_INDEX;

    private static final VarHandle DEPTH;
    private static final VarHandle WAIT_INDEX;
    private static final VarHandle WAITER;
    private static final VarHandle ACKNOWLEDGED;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DEPTH = lookup.findVarHandle(CallStack.class, "depth", int.class);
            WAIT_INDEX = lookup.findVarHandle(CallStack.class, "waitIndex", int.class);
            WAITER = lookup.findVarHandle(CallStack.class, "waiter", Thread.class);
            ACKNOWLEDGED = lookup.findVarHandle(CallStack.class, "acknowledged", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int INITIAL_FRAMES = 8;

    // padding: keep the owner's hot fields off the cache lines of neighbouring objects
    long p00, p01, p02, p03, p04, p05, p06, p07;

    final Thread owner;
    /** The domain whose counters this stack's frames belong to. */
    final CallStacks domain;
    /** Number of calls in progress; written by the owner only (which reads it opaquely). */
    private volatile int depth;
    /** A call leaving to this depth or below wakes {@link #waiter}; -1 when no drain waits. */
    private volatile int waitIndex = -1;
    /** The thread of the drain waiting for calls of this stack, or null; set by that drain. */
    private volatile Thread waiter;
    /** The latest handshake number the owner acknowledged (see {@link CallStacks#handshake}); owner writes. */
    private volatile long acknowledged;
    /** Sequence number of the last push; owner-confined. */
    private long lastSeq;
    private long[] frames = new long[INITIAL_FRAMES];
    /** Calls entered per counter index; owner writes, anyone reads (statistics: racy reads are fine). */
    private long[] calls = new long[0];

    long p10, p11, p12, p13, p14, p15, p16, p17;

    CallStack(CallStacks domain, Thread owner) {
        this.domain = domain;
        this.owner = owner;
    }

    /**
     * Enters a call through {@code counter}. Owner thread only. Portable fences: ends with a full
     * fence, so the caller's next load (the entry's target) cannot be performed before this frame
     * is visible to every thread. Asymmetric and handshake fences: ends with a compiler barrier
     * only; the flipper's membarrier provides the hardware ordering, or (handshake) this call's
     * acknowledgement of a flip in progress.
     */
    void push(GenerationCounter counter) {
        int d = (int) DEPTH.getOpaque(this);
        long[] f = frames;
        if (d >= f.length) {
            f = grow();
        }
        int index = counter.index;
        f[d] = ++lastSeq << INDEX_BITS | index;
        long[] c = calls;
        if (index < c.length) {
            c[index]++;
        } else {
            countSlow(index);
        }
        int callers = counter.callers();
        if (callers == GenerationCounter.UNFENCED) {
            DEPTH.setRelease(this, d + 1); // publishes the frame; no fence (see Fences)
            VarHandle.acquireFence(); // a compiler barrier: the target load stays after the store
        } else if (callers == GenerationCounter.FENCED) {
            depth = d + 1; // volatile store: publishes the frame, then StoreLoad
        } else { // a flip of this counter waits for acknowledgements: see CallStacks.handshake
            DEPTH.setRelease(this, d + 1);
            VarHandle.acquireFence();
            ACKNOWLEDGED.setRelease(this, domain.epoch()); // after the frame; the target load follows the acquire
        }
    }

    /**
     * Leaves the innermost call.
     *
     * @throws IllegalStateException if the calling thread is not the owner or no call is in progress
     */
    public void exit() {
        if (Thread.currentThread() != owner) {
            throw misuse();
        }
        leave();
    }

    /**
     * Leaves the innermost call, for generated stubs: they call it on the thread that entered, by
     * construction, so only the depth is checked (the owner check costs about half a nanosecond
     * per call).
     *
     * @throws IllegalStateException if no call is in progress
     */
    public void leave() {
        int d = (int) DEPTH.getOpaque(this) - 1;
        if (d < 0) {
            throw misuse();
        }
        DEPTH.setRelease(this, d); // the call's effects happen-before a reader seeing d
        if (d <= (int) WAIT_INDEX.getOpaque(this)) { // a drain waits for the call that just left
            wake();
        }
    }

    private void wake() {
        WAIT_INDEX.setOpaque(this, -1); // one wake-up per registration
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Asks to be woken ({@link LockSupport#unpark}) when the owner leaves the call at
     * {@code index}. Returns whether the registration was taken: another drain may hold this
     * stack's only slot. The caller re-checks the call after registering (a wake-up can be
     * missed, see the invariants) and {@link #unregister}s when done waiting. Any thread.
     */
    boolean register(Thread thread, int index) {
        if (!WAITER.compareAndSet(this, null, thread)) {
            return false;
        }
        waitIndex = index; // volatile: ordered before the caller's re-check of the depth
        return true;
    }

    /** Whether a drain is registered here (for tests and diagnostics). */
    boolean hasWaiter() {
        return waiter != null;
    }

    /** Gives up a registration that {@link #register} took for {@code thread}. */
    void unregister(Thread thread) {
        if (waiter == thread) {
            waitIndex = -1; // before the slot is free: no later registration's index is overwritten here
            WAITER.compareAndSet(this, thread, null);
        }
    }

    private IllegalStateException misuse() {
        if (Thread.currentThread() != owner) {
            return new IllegalStateException("exit on " + Thread.currentThread().getName()
                    + " of a call entered on " + owner.getName());
        }
        return new IllegalStateException("exit without a call in progress on " + owner.getName());
    }

    /** Number of calls in progress on the owner thread (volatile read). */
    public int depth() {
        return depth;
    }

    /** Whether the owner thread is inside a call through {@code counter} (owner thread only). */
    public boolean isInside(GenerationCounter counter) {
        return inside(counter, (int) DEPTH.getOpaque(this));
    }

    /** Whether the owner is inside {@code counter} below the innermost call (a re-entry; owner thread only). */
    public boolean isReentry(GenerationCounter counter) {
        return inside(counter, (int) DEPTH.getOpaque(this) - 1);
    }

    private boolean inside(GenerationCounter counter, int limit) {
        long[] f = frames;
        for (int i = limit - 1; i >= 0; i--) {
            if ((f[i] & INDEX_MASK) == counter.index) {
                return true;
            }
        }
        return false;
    }

    /** The owner thread. */
    public Thread owner() {
        return owner;
    }

    /** Adds to {@code into} every call in progress through {@code counter}. Any thread. */
    void collect(GenerationCounter counter, Drain.Builder into) {
        int d = depth; // volatile read: frames below d are visible
        long[] f = frames;
        int n = Math.min(d, f.length);
        for (int i = 0; i < n; i++) {
            long word = (long) LONGS.getOpaque(f, i);
            if ((word & INDEX_MASK) == counter.index) {
                into.add(this, i, word);
            }
        }
    }

    /** Whether the call that was at {@code index} as {@code word} has left. Any thread. */
    boolean hasLeft(int index, long word) {
        if (depth <= index) { // volatile read
            return true;
        }
        long[] f = frames;
        return index >= f.length || (long) LONGS.getOpaque(f, index) != word;
    }

    /** Calls entered through the counter with this index, as last published. Any thread. */
    long calls(int index) {
        long[] c = calls;
        return index < c.length ? (long) LONGS.getOpaque(c, index) : 0L;
    }

    /** Forgets the calls counted for {@code index} (the index is being reused; no thread can enter it). */
    void resetCalls(int index) {
        long[] c = calls;
        if (index < c.length) {
            LONGS.setOpaque(c, index, 0L);
        }
    }

    /** Whether the owner acknowledged handshake {@code number} or a later one (acquire read). Any thread. */
    boolean acknowledged(long number) {
        return (long) ACKNOWLEDGED.getAcquire(this) >= number;
    }

    boolean isDead() {
        return !owner.isAlive();
    }

    private long[] grow() {
        // the new array is fully written before the next depth store publishes it
        frames = Arrays.copyOf(frames, frames.length * 2);
        return frames;
    }

    private void countSlow(int index) {
        long[] c = Arrays.copyOf(calls, Math.max(index + 1, calls.length * 2));
        c[index]++;
        calls = c;
    }

    @Override
    public String toString() {
        return "CallStack[" + owner.getName() + ", depth " + depth + "]";
    }
}

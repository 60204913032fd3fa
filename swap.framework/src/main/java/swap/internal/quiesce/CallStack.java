package swap.internal.quiesce;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One thread's calls in progress through OTT entries, innermost last: for each call, the
 * {@link GenerationCounter} it entered, the generation it entered under, and a sequence number
 * unique within this stack. Owned and written by one thread; read by any thread that flips a
 * generation (see {@link GenerationCounter}).
 *
 * <p>Memory layout: the owner writes the frame arrays with plain stores and then publishes the
 * new depth; readers read {@link #depth} first (volatile) and then the frames below it. A frame
 * read after its owner has left and reused the slot shows another sequence number, which is all
 * a reader needs to tell that the call it was waiting for has left.
 */
public final class CallStack {

    /*
     * Invariants (owner thread):
     *  - frames [0, depth) are the calls in progress, outermost first;
     *  - seqs are strictly increasing across pushes (never reused), so (stack, index, seq)
     *    names one call for the lifetime of the stack;
     *  - push publishes with a volatile store (a full fence: the StoreLoad that orders the
     *    frame before the caller's subsequent load of the entry's target, see
     *    GenerationCounter); pop publishes with a release store (everything the call did
     *    happens-before a reader that sees the smaller depth).
     * Slots at and above depth keep stale counter references on purpose: clearing them would
     * cost a store per call, and a counter holds no reference to an entry or an instance, so
     * nothing larger than a counter is kept alive by a stale slot.
     */

    private static final VarHandle DEPTH;
    private static final VarHandle SEQS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNTERS = MethodHandles.arrayElementVarHandle(GenerationCounter[].class);
    private static final VarHandle CALLS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            DEPTH = MethodHandles.lookup().findVarHandle(CallStack.class, "depth", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int INITIAL_FRAMES = 8;

    // padding: keep the owner's hot fields off the cache lines of neighbouring objects
    long p00, p01, p02, p03, p04, p05, p06, p07;

    final Thread owner;
    /** Number of calls in progress; written by the owner only. */
    private volatile int depth;
    /** Sequence number of the last push; owner-confined. */
    private long lastSeq;
    private GenerationCounter[] counters = new GenerationCounter[INITIAL_FRAMES];
    private int[] generations = new int[INITIAL_FRAMES];
    private long[] seqs = new long[INITIAL_FRAMES];
    /** Calls entered per counter index (see GenerationCounter#index); owner writes, anyone reads. */
    private long[] calls = new long[0];

    long p10, p11, p12, p13, p14, p15, p16, p17;

    CallStack(Thread owner) {
        this.owner = owner;
    }

    /**
     * Enters a call through {@code counter} under {@code generation}. Owner thread only.
     * Ends with a full fence: the caller's next load (the entry's target) cannot be performed
     * before this frame is visible to every thread.
     */
    void push(GenerationCounter counter, int generation) {
        int d = depth; // owner-confined read
        if (d == seqs.length) {
            grow();
        }
        counters[d] = counter;
        generations[d] = generation;
        seqs[d] = ++lastSeq;
        int index = counter.index;
        long[] c = calls;
        if (index >= c.length) {
            c = growCalls(index);
        }
        CALLS.setOpaque(c, index, c[index] + 1);
        depth = d + 1; // volatile store: publishes the frame, then StoreLoad
    }

    /**
     * Leaves the innermost call.
     *
     * @throws IllegalStateException if the calling thread is not the owner or no call is in progress
     */
    public void exit() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("exit on " + Thread.currentThread().getName()
                    + " of a call entered on " + owner.getName());
        }
        int d = depth;
        if (d == 0) {
            throw new IllegalStateException("exit without a call in progress on " + owner.getName());
        }
        DEPTH.setRelease(this, d - 1); // the call's effects happen-before a reader seeing d - 1
    }

    /** Number of calls in progress on the owner thread (volatile read). */
    public int depth() {
        return depth;
    }

    /** Whether the owner thread is inside a call through {@code counter} (owner thread only). */
    public boolean isInside(GenerationCounter counter) {
        int d = depth;
        GenerationCounter[] cs = counters;
        for (int i = 0; i < d; i++) {
            if (cs[i] == counter) {
                return true;
            }
        }
        return false;
    }

    /** Whether the owner is inside {@code counter} below the innermost call (a re-entry; owner thread only). */
    public boolean isReentry(GenerationCounter counter) {
        int d = depth;
        GenerationCounter[] cs = counters;
        for (int i = 0; i < d - 1; i++) {
            if (cs[i] == counter) {
                return true;
            }
        }
        return false;
    }

    /** The owner thread. */
    public Thread owner() {
        return owner;
    }

    /**
     * Adds to {@code into} every call in progress through {@code counter} that entered under a
     * generation before {@code generation}. Any thread.
     */
    void collect(GenerationCounter counter, int generation, Drain.Builder into) {
        int d = depth; // volatile read: frames below d are visible
        GenerationCounter[] cs = counters;
        int[] gs = generations;
        long[] ss = seqs;
        int n = Math.min(d, Math.min(cs.length, Math.min(gs.length, ss.length)));
        for (int i = 0; i < n; i++) {
            if (COUNTERS.getOpaque(cs, i) == counter && gs[i] - generation < 0) {
                into.add(this, i, (long) SEQS.getOpaque(ss, i));
            }
        }
    }

    /** Whether the call that was at {@code index} with {@code seq} has left. Any thread. */
    boolean hasLeft(int index, long seq) {
        if (depth <= index) { // volatile read
            return true;
        }
        long[] ss = seqs;
        return index >= ss.length || (long) SEQS.getOpaque(ss, index) != seq;
    }

    /** Calls entered through the counter with this index, as last published. Any thread. */
    long calls(int index) {
        long[] c = calls;
        return index < c.length ? (long) CALLS.getOpaque(c, index) : 0L;
    }

    /** Forgets the calls counted for {@code index} (the index is being reused). */
    void resetCalls(int index) {
        long[] c = calls;
        if (index < c.length) {
            CALLS.setOpaque(c, index, 0L);
        }
    }

    boolean isDead() {
        return !owner.isAlive();
    }

    private void grow() {
        int n = seqs.length * 2;
        // new arrays are fully written before the next volatile depth store publishes them
        counters = Arrays.copyOf(counters, n);
        generations = Arrays.copyOf(generations, n);
        seqs = Arrays.copyOf(seqs, n);
    }

    private long[] growCalls(int index) {
        long[] c = Arrays.copyOf(calls, Math.max(index + 1, calls.length * 2));
        calls = c;
        return c;
    }

    @Override
    public String toString() {
        return "CallStack[" + owner.getName() + ", depth " + depth + "]";
    }
}

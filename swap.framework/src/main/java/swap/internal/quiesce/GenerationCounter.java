package swap.internal.quiesce;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The quiescence mechanism of one OTT entry: K42's generation count, per call instead of per
 * thread. A synchronizer in the style of HdrHistogram's {@code WriterReaderPhaser}: callers
 * bracket each call with {@link #enter()} and {@link CallStack#exit()}; a swapper
 * {@link #flip() flips} to a new generation and receives a {@link Drain} of the old one, which
 * completes once every call that entered before the flip has left.
 *
 * <h2>Assumptions callers must keep</h2>
 * <ul>
 *   <li>{@code enter()} and the matching {@code exit()} are called on the same thread, in LIFO
 *       order with the thread's other calls (a {@code try/finally} around the call);
 *   <li>between them the caller reads the state that the swapper replaces (the entry's target)
 *       only <em>after</em> {@code enter()} returns.
 * </ul>
 * Misuse fails fast: {@code exit()} on another thread, or without a call in progress, throws.
 *
 * <h2>Guarantees</h2>
 * Let a swapper write a new target (a volatile write, or any write followed in the same thread by
 * a volatile write) and then call {@code flip()}. For every call, either
 * <ul>
 *   <li>the call's read of the target (after its {@code enter()}) sees the new target, or
 *   <li>the call is in the {@link Drain} that this {@code flip()} returns, and the drain does not
 *       complete before the call's {@code exit()}; everything the call did happens-before the
 *       drain is observed complete.
 * </ul>
 * So once the drain completes, no call is still using the old target, and none will. The drain
 * holds the calls in progress when the flip read the threads' stacks: every call that entered
 * before the flip, and possibly a few that entered during it (those saw the new target; waiting
 * for them costs time, never correctness). Calls that enter later are the new generation and are
 * not waited for, so a call that never ends delays only the drains of flips made while it was
 * inside, and only for this entry: generations are per entry, not per thread or per table.
 *
 * <h2>How</h2>
 * Each thread keeps its calls in progress in its own {@link CallStack} (striped per thread;
 * padded). {@code enter()} pushes one word, the counter's index and a sequence number, and
 * publishes the new depth; {@code exit()} pops with a release store. Nothing shared is written
 * on either path, so N threads scale as N threads. {@code flip()} advances the generation (an
 * atomic read-modify-write: a full fence after the swapper's target write) and then reads every
 * thread's stack. This is Dekker's pattern: the caller stores its frame, then loads the target;
 * the swapper stores the target, then loads the frames; with a full fence on both sides at least
 * one sees the other's store. {@linkplain Fences Portable fences} put the caller's full fence in
 * the depth store (a volatile store); {@linkplain Fences asymmetric fences} take it off the caller
 * and have the flipper run {@code membarrier}, a full barrier on every running thread, instead;
 * {@linkplain Fences handshake fences} have the flipper first wait (briefly) for each other
 * thread to acknowledge the flip in a call, and run {@code membarrier} only if one does not.
 * Sequence numbers make each frame a unique name for its call, so a slot reused by a later call
 * is never mistaken for the call it replaced.
 *
 * <h2>Progress</h2>
 * {@code enter()} and {@code exit()} are wait-free (apart from growing the thread's stack,
 * amortised). {@code flip()} is wait-free in the number of threads that ever called (it reads
 * each stack once). A drain completes as soon as the calls it holds have returned; waiting for
 * it is the waiter's choice ({@link Drain#await}: parked, woken by the last of those calls to
 * leave on each thread, bounded), and never holds a caller.
 */
public final class GenerationCounter {

    private static final VarHandle GENERATION;
    private static final VarHandle CALLERS;

    /** {@link #callers}: callers publish their frame with a release store and no fence. */
    static final int UNFENCED = 0;
    /** {@link #callers}: callers publish their frame with a volatile store (portable fences). */
    static final int FENCED = 1;
    /** Added to {@link #callers} for each handshake in progress: callers acknowledge it (handshake fences). */
    static final int HANDSHAKING = 2;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            GENERATION = lookup.findVarHandle(GenerationCounter.class, "generation", int.class);
            CALLERS = lookup.findVarHandle(GenerationCounter.class, "callers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CallStacks stacks;
    /** Dense index of this counter in its domain: its frames' tag and its call count's slot. */
    final int index;
    /** Whether this counter's callers go without a fence (asymmetric or handshake fences, see {@link Fences}). */
    private final boolean asymmetric;
    /** Whether a flip tries a handshake before it falls back to {@code membarrier}. */
    private final boolean handshake;
    /**
     * How callers publish their frame, read by each (opaque) before it does: {@link #FENCED}
     * (portable fences), {@link #UNFENCED}, or {@code UNFENCED} plus {@link #HANDSHAKING} times
     * the handshakes of this counter's flips in progress. One word that the call path reads
     * anyway, so a handshake costs callers nothing while none is in progress.
     */
    private volatile int callers;
    private final String name;
    private volatile int generation;

    GenerationCounter(CallStacks stacks, int index, String name, Fences.Mode mode) {
        this.stacks = stacks;
        this.index = index;
        this.name = name;
        this.asymmetric = mode.asymmetric();
        this.handshake = mode == Fences.Mode.HANDSHAKE;
        this.callers = asymmetric ? UNFENCED : FENCED;
    }

    /** How a caller publishes its frame now (see {@link #callers}); read on every call. */
    int callers() {
        return (int) CALLERS.getOpaque(this);
    }

    /** Starts or ends one handshake of this counter (a full fence either way). */
    void handshaking(boolean start) {
        CALLERS.getAndAdd(this, start ? HANDSHAKING : -HANDSHAKING);
    }

    /**
     * Enters a call: the caller must call {@link CallStack#exit()} on the returned stack when the
     * call ends (normally or by an exception), on this thread.
     *
     * @return this thread's call stack (the enter token)
     */
    public CallStack enter() {
        CallStack stack = stacks.current();
        stack.push(this);
        return stack;
    }

    /**
     * Starts a new generation and returns the calls of the earlier ones still in progress. Call
     * after writing the new target. Any thread; concurrent flips are allowed (each drain holds
     * the calls in progress at its own flip).
     */
    public Drain flip() {
        return flip(true);
    }

    /**
     * {@link #flip()}; without {@code fallback}, a handshake that is not acknowledged in time
     * returns {@code null} instead of running {@code membarrier}, which lets a test check the
     * handshake alone.
     */
    Drain flip(boolean fallback) {
        GENERATION.getAndAdd(this, 1); // a locked instruction: a full fence after the target write
        if (asymmetric) {
            // callers did not fence: have each acknowledge, or order every running thread now
            if (!handshake || !stacks.handshake(this)) {
                if (!fallback) {
                    return null;
                }
                Fences.membarrier();
            }
        }
        Drain.Builder drain = new Drain.Builder(name);
        stacks.forEach(stack -> stack.collect(this, drain));
        return drain.build();
    }

    /**
     * Calls through this counter in progress now, on every thread (a moment's count, for checks
     * and diagnostics; it does not flip). Any thread.
     */
    public int inProgress() {
        Drain.Builder calls = new Drain.Builder(name);
        stacks.forEach(stack -> stack.collect(this, calls));
        return calls.size();
    }

    /** The current generation: the number of flips so far. */
    public int generation() {
        return generation;
    }

    /** Calls entered through this counter so far (a moment's sum over all threads; any thread). */
    public long calls() {
        return stacks.calls(index);
    }

    /** What this counter counts calls of, for messages. */
    public String name() {
        return name;
    }

    /** Returns the index to its domain; call once nothing can enter through this counter again. */
    public void release() {
        stacks.release(index);
    }

    @Override
    public String toString() {
        return "GenerationCounter[" + name + ", generation " + generation + "]";
    }
}

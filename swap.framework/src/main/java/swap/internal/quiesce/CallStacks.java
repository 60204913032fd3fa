package swap.internal.quiesce;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A quiescence domain (one per Object Translation Table): the {@linkplain Fences fence mode} of
 * its {@link GenerationCounter}s, the {@link CallStack} of every thread that has entered one of
 * them, and the dense indexes those counters count calls under.
 *
 * <p>A thread's stack is created and registered on its first {@code enter()}, before its first
 * frame is pushed, so a flip that does not see the stack also cannot miss one of its calls
 * (see {@link GenerationCounter}). Stacks of threads that have died are dropped at the next
 * registration, and their call counts kept.
 *
 * <p>Each thread finds its stack through one constant {@code ThreadLocal} shared by all domains
 * (the cheapest lookup the JIT can make), which holds the stack of the domain the thread used
 * last; a thread that moves to another domain finds its stack there among the domain's stacks
 * (one scan, on the move only). A thread keeps the last domain it used (a few small objects:
 * the domain and its threads' stacks, never a table, an entry or an instance) until it uses
 * another.
 */
public final class CallStacks {

    /**
     * How long a flip waits for the other threads' acknowledgements before it runs
     * {@code membarrier} instead: a thread that keeps calling acknowledges within its next call
     * (well under a microsecond); one that does not call (idle, descheduled, or inside a long
     * call) would never do so, and then the wait is lost time, so it is short: about a tenth of a
     * {@code membarrier} in a virtual machine (18 us here).
     */
    static final long HANDSHAKE_SPIN_NANOS = 2_000;
    /** Spinning for another thread is useless with one CPU: it cannot run meanwhile. */
    private static final boolean SPIN = Runtime.getRuntime().availableProcessors() > 1;

    private static final VarHandle EPOCH;

    static {
        try {
            EPOCH = MethodHandles.lookup().findVarHandle(CallStacks.class, "epoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stack of the domain each thread entered last. */
    private static final ThreadLocal<CallStack> CURRENT = new ThreadLocal<>();

    /** The number of the latest handshake of any counter of this domain; callers acknowledge with the number they read. */
    private volatile long epoch;

    private final Fences.Mode mode;
    /** Handshakes every thread acknowledged, and those that fell back to membarrier (statistics). */
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder fellBack = new LongAdder();
    private final Object lock = new Object();
    /** Copy-on-write; read without the lock. */
    private volatile CallStack[] all = new CallStack[0];
    /** Calls of threads that have died, per index. Guarded by lock. */
    private long[] retired = new long[16];
    /** Guarded by lock. */
    private int nextIndex;
    /** Guarded by lock. */
    private final ArrayDeque<Integer> freeIndexes = new ArrayDeque<>();

    /** A domain with the fences {@link Fences#defaultMode()} chooses. */
    public CallStacks() {
        this(Fences.defaultMode());
    }

    /**
     * A domain with the given fences.
     *
     * @throws IllegalArgumentException if asymmetric fences are asked for where they are not available
     */
    public CallStacks(Fences.Mode mode) {
        if (mode.asymmetric() && !Fences.asymmetricAvailable()) {
            throw new IllegalArgumentException(mode.name().toLowerCase(Locale.ROOT)
                    + " fences are not available here (no membarrier)");
        }
        this.mode = mode;
    }

    /** How this domain orders callers and flippers. */
    public Fences.Mode mode() {
        return mode;
    }

    /**
     * A new counter of this domain; {@code name} appears in drain descriptions.
     *
     * @throws IllegalStateException if 2^24 counters of this domain are live
     */
    public GenerationCounter newCounter(String name) {
        synchronized (lock) {
            Integer free = freeIndexes.poll();
            if (free == null && nextIndex > CallStack.MAX_INDEX) {
                throw new IllegalStateException("more than " + (CallStack.MAX_INDEX + 1) + " generation counters of one table are live");
            }
            int index = free != null ? free : nextIndex++;
            return new GenerationCounter(this, index, name, mode);
        }
    }

    /** The calling thread's stack in this domain (also for a caller looking at its own calls). */
    public CallStack current() {
        CallStack stack = CURRENT.get();
        return stack != null && stack.domain == this ? stack : switchTo();
    }

    private CallStack switchTo() {
        Thread me = Thread.currentThread();
        CallStack stack = null;
        for (CallStack s : all) { // the thread's stack of this domain, if it was here before
            if (s.owner == me) {
                stack = s;
                break;
            }
        }
        if (stack == null) {
            stack = register();
        }
        CURRENT.set(stack);
        return stack;
    }

    /**
     * The flipper's half of a handshake of {@code counter} (see {@link Fences.Mode#HANDSHAKE});
     * call after the flip's full fence, which follows the write of the new target. Returns whether
     * every other live thread registered in this domain acknowledged a number at least this
     * handshake's: then each has published every frame it pushed before it read the new target,
     * and reads the new target (or a later one) in every later call, so the flip may read the
     * frames without {@code membarrier}. If not, the flip must run {@code membarrier} first.
     *
     * <p>Why it holds: while the handshake is in progress, each call through {@code counter}
     * acknowledges it in {@link CallStack#push}, after its frame store and before its load of the
     * target, by reading {@link #epoch} (acquire) and storing the number in its stack (release).
     * The flipper's write of the target happens-before its increment of the epoch, so a caller
     * that read the new number reads the new target afterwards; the caller's frame stores
     * happen-before its acknowledgement, so a flipper that read the acknowledgement sees them.
     * Any number at least this one will do: every later number was also drawn after the target
     * write. A thread that registers after {@link #all} was read here cannot be missed either (see
     * the class comment), and one that has died needs no acknowledgement: {@code isAlive()}
     * returning {@code false} orders everything it did before this read.
     *
     * <p>How long: a thread that keeps calling through {@code counter} acknowledges within its next
     * call, so the flipper spins for at most {@value #HANDSHAKE_SPIN_NANOS} ns in all; it
     * does not wait at all for a thread that is not {@linkplain Thread.State#RUNNABLE runnable}
     * (parked or blocked: it makes no call before it wakes), and gives up on the first that does
     * not answer in time. Spinning is bounded and short, like the drain's own spin (see
     * {@link Drain#SPIN_NANOS}); parking would cost more than the {@code membarrier} it saves.
     */
    boolean handshake(GenerationCounter counter) {
        long number = (long) EPOCH.getAndAdd(this, 1L) + 1;
        counter.handshaking(true);
        try {
            boolean done = acknowledged(number);
            (done ? acknowledged : fellBack).increment();
            return done;
        } finally {
            counter.handshaking(false);
        }
    }

    private boolean acknowledged(long number) {
        Thread me = Thread.currentThread();
        long deadline = 0;
        for (CallStack stack : all) { // volatile read after the increments
            if (stack.owner == me || stack.acknowledged(number) || !stack.owner.isAlive()) {
                continue;
            }
            if (!SPIN || stack.owner.getState() != Thread.State.RUNNABLE) {
                return false; // it will not call before it runs again: membarrier costs it no interrupt
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + HANDSHAKE_SPIN_NANOS;
            }
            while (!stack.acknowledged(number)) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** Flips whose handshake every other thread acknowledged in time (handshake fences only). */
    public long handshakesAcknowledged() {
        return acknowledged.sum();
    }

    /** Flips whose handshake was not acknowledged in time, and which ran {@code membarrier} instead. */
    public long handshakesFellBack() {
        return fellBack.sum();
    }

    /** The number of the latest handshake, read with acquire semantics (see {@link #handshake}). */
    long epoch() {
        return (long) EPOCH.getAcquire(this);
    }

    void forEach(Consumer<CallStack> action) {
        for (CallStack stack : all) { // volatile read: every stack registered before it
            action.accept(stack);
        }
    }

    /** Calls entered through the counter with this index, over all threads that ever entered it. */
    long calls(int index) {
        long sum;
        synchronized (lock) {
            sum = index < retired.length ? retired[index] : 0L;
        }
        for (CallStack stack : all) {
            sum += stack.calls(index);
        }
        return sum;
    }

    /** Frees an index once no thread can enter through its counter again. */
    void release(int index) {
        synchronized (lock) {
            if (index < retired.length) {
                retired[index] = 0;
            }
            for (CallStack stack : all) {
                stack.resetCalls(index);
            }
            freeIndexes.add(index);
        }
    }

    /** Number of registered threads (live, or dead and not yet dropped). */
    public int threads() {
        return all.length;
    }

    private CallStack register() {
        CallStack stack = new CallStack(this, Thread.currentThread());
        synchronized (lock) {
            CallStack[] old = all;
            CallStack[] next = new CallStack[old.length + 1];
            int n = 0;
            for (CallStack s : old) {
                if (s.isDead() && s.depth() == 0) {
                    retire(s);
                } else {
                    next[n++] = s;
                }
            }
            next[n++] = stack;
            all = n == next.length ? next : Arrays.copyOf(next, n); // published before the thread's first push
        }
        return stack;
    }

    /** Guarded by lock. */
    private void retire(CallStack dead) {
        for (int i = 0; i < nextIndex; i++) {
            long c = dead.calls(i);
            if (c != 0) {
                if (i >= retired.length) {
                    retired = Arrays.copyOf(retired, Math.max(i + 1, retired.length * 2));
                }
                retired[i] += c;
            }
        }
    }
}

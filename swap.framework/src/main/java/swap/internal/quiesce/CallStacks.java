package swap.internal.quiesce;

import java.util.ArrayDeque;
import java.util.Arrays;
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

    /** The stack of the domain each thread entered last. */
    private static final ThreadLocal<CallStack> CURRENT = new ThreadLocal<>();
    private final Fences.Mode mode;
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
        if (mode == Fences.Mode.ASYMMETRIC && !Fences.asymmetricAvailable()) {
            throw new IllegalArgumentException("asymmetric fences are not available here (no membarrier)");
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
            return new GenerationCounter(this, index, name, mode == Fences.Mode.ASYMMETRIC);
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

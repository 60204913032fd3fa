package swap.internal.quiesce;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A quiescence domain: the {@link CallStack} of every thread that has entered one of its
 * {@link GenerationCounter}s, and the dense indexes those counters count calls under. One per
 * Object Translation Table.
 *
 * <p>A thread's stack is created and registered on its first {@code enter()}, before its first
 * frame is pushed, so a flip that does not see the stack also cannot miss one of its calls
 * (see {@link GenerationCounter}). Stacks of threads that have died are dropped at the next
 * registration, and their call counts kept.
 */
public final class CallStacks {

    private final ThreadLocal<CallStack> current = ThreadLocal.withInitial(this::register);
    private final Object lock = new Object();
    /** Copy-on-write; read without the lock. */
    private volatile CallStack[] all = new CallStack[0];
    /** Calls of threads that have died, per index. Guarded by lock. */
    private long[] retired = new long[16];
    /** Guarded by lock. */
    private int nextIndex;
    /** Guarded by lock. */
    private final ArrayDeque<Integer> freeIndexes = new ArrayDeque<>();

    /** A new counter of this domain; {@code name} appears in drain descriptions. */
    public GenerationCounter newCounter(String name) {
        synchronized (lock) {
            Integer free = freeIndexes.poll();
            int index = free != null ? free : nextIndex++;
            return new GenerationCounter(this, index, name);
        }
    }

    /** The calling thread's stack. */
    CallStack current() {
        return current.get();
    }

    /** The calling thread's stack, for a caller that needs to look at its own calls in progress. */
    public CallStack currentStack() {
        return current.get();
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
        CallStack stack = new CallStack(Thread.currentThread());
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

package swap.internal.quiesce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The calls that had entered a {@link GenerationCounter} before a flip and had not left when
 * the flip read the threads' stacks. Complete once all of them have left; everything they did
 * happens-before an {@link #isComplete()} or {@link #await} that returns {@code true}.
 *
 * <p>A drain's waiter is woken by the calls it waits for: {@link #await} spins for at most
 * {@value #SPIN_NANOS} ns (see there), then registers with each thread's {@link CallStack} it
 * waits on, and the call that leaves last on that thread unparks it. A caller leaves with a
 * release store and then reads the registration without a fence in between (a fence would cost
 * every call), so a wake-up can be missed when a call leaves just as the waiter registers; the
 * waiter therefore parks for at most
 * {@value #MIN_PARK_NANOS} ns at first, doubling up to {@value #MAX_PARK_NANOS} ns, and re-checks.
 * A stack on which another drain is registered is re-checked the same way. Not thread-safe: one
 * waiter per drain.
 */
public final class Drain {

    /**
     * How long a wait of the swap path spins before it parks: most drains, tracked calls and holds
     * end within a microsecond or two, and a park-and-unpark hand-off costs 5-10 us here (a wait
     * that always parked made the median null swap four times slower). The spin is no longer
     * than one such hand-off.
     */
    public static final long SPIN_NANOS = 5_000;
    static final long MIN_PARK_NANOS = 100_000;
    static final long MAX_PARK_NANOS = 1_000_000;

    private final String name;
    private final List<CallStack> stacks;
    private final int[] indexes;
    private final long[] seqs;
    private int remaining;

    private Drain(String name, List<CallStack> stacks, int[] indexes, long[] seqs) {
        this.name = name;
        this.stacks = stacks;
        this.indexes = indexes;
        this.seqs = seqs;
        this.remaining = stacks.size();
    }

    /** Whether every call of this drain has left (re-reads the stacks of those that had not). */
    public boolean isComplete() {
        int n = remaining;
        for (int i = 0; i < n; ) {
            if (stacks.get(i).hasLeft(indexes[i], seqs[i])) {
                n--;
                stacks.set(i, stacks.get(n));
                indexes[i] = indexes[n];
                seqs[i] = seqs[n];
            } else {
                i++;
            }
        }
        remaining = n;
        return n == 0;
    }

    /**
     * Waits until the drain is complete or {@code timeout} has passed.
     *
     * @return whether the drain completed
     * @throws InterruptedException if interrupted while waiting (the drain is unaffected)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return await(System.nanoTime() + timeout.toNanos());
    }

    /**
     * Waits until the drain is complete or {@link System#nanoTime()} passes {@code deadline}.
     *
     * @return whether the drain completed
     * @throws InterruptedException if interrupted while waiting (the drain is unaffected)
     */
    public boolean await(long deadline) throws InterruptedException {
        if (spinUntil(this::isComplete, deadline)) {
            return true;
        }
        Thread me = Thread.currentThread();
        List<CallStack> registered = register(me);
        try {
            long park = MIN_PARK_NANOS;
            while (!isComplete()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, Math.min(park, left));
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while draining " + name);
                }
                park = Math.min(park * 2, MAX_PARK_NANOS);
            }
            return true;
        } finally {
            for (CallStack stack : registered) {
                stack.unregister(me);
            }
        }
    }

    /**
     * Re-checks {@code condition} for at most {@link #SPIN_NANOS} (and not past {@code deadline});
     * whether it came to hold.
     */
    public static boolean spinUntil(BooleanSupplier condition, long deadline) {
        long end = Math.min(deadline, System.nanoTime() + SPIN_NANOS);
        do {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
        return condition.getAsBoolean();
    }

    /** Registers {@code me} with each stack still in the drain, at its outermost call here; returns those taken. */
    private List<CallStack> register(Thread me) {
        List<CallStack> taken = new ArrayList<>(remaining);
        for (int i = 0; i < remaining; i++) {
            CallStack stack = stacks.get(i);
            if (taken.contains(stack)) {
                continue; // registered at its outermost call of this drain already
            }
            int outermost = indexes[i];
            for (int j = i + 1; j < remaining; j++) {
                if (stacks.get(j) == stack) {
                    outermost = Math.min(outermost, indexes[j]);
                }
            }
            if (stack.register(me, outermost)) {
                taken.add(stack);
            }
        }
        return taken;
    }

    /** Calls still inside, as of the last check. */
    public int remaining() {
        return remaining;
    }

    /** The threads still inside and their nesting depth, as of the last check, for messages. */
    public String describe() {
        if (remaining == 0) {
            return "no call of " + name + " in progress";
        }
        StringBuilder out = new StringBuilder().append(remaining).append(remaining == 1 ? " call" : " calls")
                .append(" of ").append(name).append(" still in progress:");
        for (int i = 0; i < remaining; i++) {
            CallStack s = stacks.get(i);
            out.append(i == 0 ? " " : ", ").append(s.owner().getName()).append(" (depth ").append(indexes[i] + 1).append(')');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Drain[" + describe() + "]";
    }

    /** Collects the calls of a drain while a flip reads the stacks. */
    static final class Builder {
        private final String name;
        private final List<CallStack> stacks = new ArrayList<>();
        private int[] indexes = new int[4];
        private long[] seqs = new long[4];

        Builder(String name) {
            this.name = name;
        }

        void add(CallStack stack, int index, long seq) {
            int n = stacks.size();
            if (n == indexes.length) {
                indexes = java.util.Arrays.copyOf(indexes, n * 2);
                seqs = java.util.Arrays.copyOf(seqs, n * 2);
            }
            stacks.add(stack);
            indexes[n] = index;
            seqs[n] = seq;
        }

        int size() {
            return stacks.size();
        }

        Drain build() {
            return new Drain(name, stacks, indexes, seqs);
        }
    }
}

package swap.fcm.workload;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handle on one run of a {@link Workload}: the run reports its phase and progress here, and
 * any other thread watches them and may {@linkplain #stop() stop} the run. Like a progress monitor,
 * it has two sides: observers call {@link #stop()}, {@link #isStopped()}, {@link #phase()},
 * {@link #operations()} and {@link #planned()}; the running workload calls {@link #enter},
 * {@link #plan} and {@link #worked}. A control serves exactly one run.
 *
 * <h2>Threads and memory effects</h2>
 * Thread-safe; no method blocks. {@link #stop()} happens-before every {@link #isStopped()} that
 * returns {@code true}; the run checks it before every operation (a transaction, a command, a page
 * of a stream), so a stop ends the run within one operation per thread, then the run cleans up and
 * returns. {@link #operations()} is a sum of striped counters that the run's threads increment
 * without contending: while the run is in progress it is a recent value, not an atomic snapshot;
 * once {@link #phase()} is {@link Phase#DONE} it is exact. {@link #enter} happens-before every
 * {@link #phase()} that returns the phase entered or a later one.
 */
public final class WorkloadControl {

    /** The default {@link #bound()}: 30 seconds. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);

    /** The phases of a run, in the order it goes through them (a run may skip some, never go back). */
    public enum Phase {
        /** The control has not served a run yet. */
        NEW,
        /** Creating files and opening (and warming) their caches; no operation counted yet. */
        PREPARING,
        /** Doing the operations counted in {@link #operations()}; the result's time is this phase's. */
        RUNNING,
        /** Releasing every cache and deleting the run's directory. */
        CLEANING_UP,
        /** The run returned or threw. */
        DONE
    }

    private final Duration bound;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
    /** Written once by stop(); read by every operation of the run. */
    private volatile boolean stopped;
    /** Striped: the run's threads each add to their own cell (LongAdder pads its cells). */
    private final LongAdder operations = new LongAdder();
    private volatile long planned = -1;

    /** A control whose run waits at most {@link #DEFAULT_BOUND} for its threads. */
    public WorkloadControl() {
        this(DEFAULT_BOUND);
    }

    /**
     * A control whose run waits at most {@code bound} for its threads: for the next operation to
     * complete while it runs (a run whose threads make no progress for that long is stopped and
     * fails, with their stacks in the log), and for them to end once asked to.
     *
     * @throws IllegalArgumentException if {@code bound} is not positive
     */
    public WorkloadControl(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("bound must be positive, not " + bound);
        }
        this.bound = bound;
    }

    // ---- observers ------------------------------------------------------------------------------

    /** Asks the run to stop: it ends within one operation per thread, cleans up and returns its result. Idempotent. */
    public void stop() {
        stopped = true;
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopped() {
        return stopped;
    }

    /** The phase the run is in. */
    public Phase phase() {
        return phase.get();
    }

    /** The operations done so far (see the class comment for how recent it is). */
    public long operations() {
        return operations.sum();
    }

    /** The operations the run plans to do, or {@code -1} before it said so or if it runs until stopped. */
    public long planned() {
        return planned;
    }

    /** How long the run waits for its threads at most (see {@link #WorkloadControl(Duration)}). */
    public Duration bound() {
        return bound;
    }

    // ---- the running workload -----------------------------------------------------------------

    /**
     * Called by the run: moves to phase {@code next}.
     *
     * @throws IllegalStateException if {@code next} is {@link Phase#PREPARING} and this control
     *         already served a run, or {@code next} comes before the current phase
     */
    public void enter(Phase next) {
        Objects.requireNonNull(next, "next");
        for (;;) {
            Phase current = phase.get();
            if (next == Phase.PREPARING && current != Phase.NEW) {
                throw new IllegalStateException("a WorkloadControl serves one run; this one is " + current);
            }
            if (next.compareTo(current) < 0 || current == Phase.NEW && next != Phase.PREPARING) {
                throw new IllegalStateException("a run cannot go from " + current + " to " + next);
            }
            if (phase.compareAndSet(current, next)) {
                return;
            }
        }
    }

    /** Called by the run: it plans {@code operations} operations ({@code -1}: until stopped). */
    public void plan(long operations) {
        if (operations < -1) {
            throw new IllegalArgumentException("planned operations must be >= -1, not " + operations);
        }
        this.planned = operations;
    }

    /** Called by the run's threads: {@code n} more operations are done. */
    public void worked(long n) {
        operations.add(n);
    }

    @Override
    public String toString() {
        return phase() + ", " + operations() + (planned < 0 ? "" : " of " + planned) + " operations"
                + (stopped ? ", stopped" : "");
    }
}

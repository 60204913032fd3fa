package swap.fcm.workload.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one part: started by the run's calling thread, which then {@linkplain #await
 * awaits} them with every wait bounded, and collects their failures.
 *
 * <p>Threads: {@link #start} and {@link #await} are called by the calling thread only;
 * {@link #hasFailed()} by any. A worker's failure happens-before {@code hasFailed()} returns
 * {@code true}; a worker's end happens-before {@code await} returns (Thread.join).
 */
final class Crew {

    /** A worker's body. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Crew.class);
    /** How often the calling thread looks at the stop request, failures and progress while it waits. */
    private static final long SLICE_MILLIS = 20;

    private final String name;
    private final Runnable halt;
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    /** Calling thread only. */
    private boolean stuck;

    /** {@code halt} tells the part's workers to stop; a worker that fails calls it. */
    Crew(String name, Runnable halt) {
        this.name = name;
        this.halt = halt;
    }

    /** Starts a daemon worker named {@code threadName} (a stuck worker must not keep the JVM alive). */
    void start(String threadName, Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                failures.add(e);
                halt.run();
            }
        }, threadName);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    boolean hasFailed() {
        return !failures.isEmpty();
    }

    /** Whether {@link #await} gave up on workers that would not end (their caches must not be closed under them). */
    boolean isStuck() {
        return stuck;
    }

    /**
     * Waits until every worker ended. While they run, every {@value #SLICE_MILLIS} ms: if
     * {@code stopRequested} says so, or a worker failed, halts them; if {@code progress} stayed the
     * same for {@code bound}, logs their stacks and halts them, and then fails. Once halted they have
     * {@code bound} to end; those still running then are logged with their stacks and interrupted,
     * and this fails. An interrupt of the calling thread is a stop request ({@link
     * RunContext#interrupted()}).
     *
     * @throws IllegalStateException if the workers made no progress, or did not end when halted, within {@code bound}
     */
    void await(RunContext run, BooleanSupplier stopRequested, LongSupplier progress, Duration bound) {
        Watch watch = new Watch(run, stopRequested, progress, bound);
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join(SLICE_MILLIS);
                } catch (InterruptedException e) {
                    run.interrupted();
                }
                watch.check(System.nanoTime());
            }
        }
        if (watch.stalled != null) {
            throw new IllegalStateException(watch.stalled);
        }
    }

    /** What {@link #await} watches between two joins: the stop request, failures, progress, the bound. */
    private final class Watch {
        private final RunContext run;
        private final BooleanSupplier stopRequested;
        private final LongSupplier progress;
        private final Duration bound;
        private long lastProgress;
        private long progressedAt = System.nanoTime();
        private boolean halted;
        private long haltedAt;
        /** Why the crew was halted for want of progress, or null. */
        String stalled;

        Watch(RunContext run, BooleanSupplier stopRequested, LongSupplier progress, Duration bound) {
            this.run = run;
            this.stopRequested = stopRequested;
            this.progress = progress;
            this.bound = bound;
            this.lastProgress = progress.getAsLong();
        }

        /** Halts the crew when it should stop or has stalled; gives up once it was halted for longer than the bound. */
        void check(long now) {
            if (halted) {
                if (now - haltedAt > bound.toNanos()) {
                    giveUp(bound);
                }
            } else if (hasStalled(now) || run.control.isStopped() || stopRequested.getAsBoolean() || hasFailed()) {
                halt.run();
                halted = true;
                haltedAt = now;
            }
        }

        private boolean hasStalled(long now) {
            long p = progress.getAsLong();
            if (p != lastProgress) {
                lastProgress = p;
                progressedAt = now;
                return false;
            }
            if (now - progressedAt <= bound.toNanos()) {
                return false;
            }
            stalled = name + ": no operation completed in " + bound.toMillis() + " ms (at " + p
                    + " operations); the workers' stacks are in the log";
            LOG.error("{}{}", stalled, stacks());
            return true;
        }
    }

    /** Rethrows the first worker failure (the others suppressed into it), if any. */
    void rethrowFailures() throws IOException {
        Failures all = new Failures();
        failures.forEach(all::add);
        all.throwIoOrUnchecked();
    }

    /** Adds this crew's failures to {@code all}. */
    void addFailuresTo(Failures all) {
        failures.forEach(all::add);
    }

    private void giveUp(Duration bound) {
        stuck = true;
        List<String> alive = new ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) {
                alive.add(t.getName());
            }
        }
        String message = name + ": " + alive + " did not end within " + bound.toMillis()
                + " ms of being asked to; interrupted and abandoned with their caches (stacks in the log)";
        LOG.error("{}{}", message, stacks());
        for (Thread t : threads) {
            t.interrupt();
        }
        throw new IllegalStateException(message);
    }

    private String stacks() {
        StringBuilder b = new StringBuilder();
        for (Thread t : threads) {
            if (!t.isAlive()) {
                continue;
            }
            b.append(System.lineSeparator()).append('"').append(t.getName()).append("\" ").append(t.getState());
            for (StackTraceElement e : t.getStackTrace()) {
                b.append(System.lineSeparator()).append("\tat ").append(e);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return name + " (" + threads.size() + " threads)";
    }
}

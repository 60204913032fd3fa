package swap.console.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.workload.Workload;
import swap.fcm.workload.WorkloadControl;
import swap.fcm.workload.WorkloadControl.Phase;
import swap.fcm.workload.WorkloadResult;

/**
 * One background run of a workload started from the shell: its own daemon thread, its
 * {@link WorkloadControl}, its {@link SwapOpener}, and, once it ended, its outcome.
 *
 * <p>Threads: {@link #start()} once, from the shell; {@link #row()}, {@link #stop()} and
 * {@link #awaitEnd} from any thread. The run's thread publishes the outcome (a volatile write)
 * only after the workload returned or threw and every cache it opened was released, so a row
 * whose phase is {@link Phase#DONE} has its outcome, and no entry of the run is left in the
 * table.
 */
final class WorkloadRun {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadRun.class);

    /** How a run ended: exactly one of result and failure is set. */
    private record Outcome(WorkloadResult result, Throwable failure, long endNanos) {
    }

    final int id;
    private final Workload workload;
    private final SwapOpener opener;
    private final Path scratch;
    private final WorkloadControl control = new WorkloadControl();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    /** Written once by the run's thread, last; null while the run is in progress. */
    private volatile Outcome outcome;

    WorkloadRun(int id, Workload workload, SwapOpener opener, Path scratch) {
        this.id = id;
        this.workload = workload;
        this.opener = opener;
        this.scratch = scratch;
        this.thread = new Thread(this::perform, "fcm:workload run " + id + " (" + workload.name() + ")");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String description() {
        return workload.describe();
    }

    /** Asks the run to stop (it ends within one operation per thread, then cleans up). Idempotent. */
    void stop() {
        control.stop();
    }

    boolean isDone() {
        return outcome != null;
    }

    /**
     * Waits at most {@code bound} for the run to end; returns whether it did. An interrupt ends
     * the wait early and is restored.
     */
    boolean awaitEnd(Duration bound) {
        try {
            thread.join(Math.max(1, bound.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return isDone();
    }

    /** The stack of the run's thread, one frame a line (for the log when a wait for it fires). */
    String stack() {
        return Arrays.stream(thread.getStackTrace()).map(f -> "\tat " + f).collect(Collectors.joining("\n"));
    }

    /** A consistent snapshot: the outcome is read first, so a DONE row always has it. */
    Views.WorkloadRow row() {
        Outcome o = outcome;
        long now = o == null ? System.nanoTime() : o.endNanos();
        Phase phase = o != null ? Phase.DONE : control.phase() == Phase.DONE ? Phase.CLEANING_UP : control.phase();
        String result = o == null ? null : o.result() != null ? o.result().toString() : "failed: " + oneLine(o.failure());
        return new Views.WorkloadRow(id, workload.name(), phase, control.operations(), control.planned(),
                TimeUnit.NANOSECONDS.toMillis(now - startNanos), control.isStopped(), result);
    }

    private void perform() {
        LOG.info("run {}: {} started in {}", id, workload.describe(), scratch);
        WorkloadResult result = null;
        Throwable failure = null;
        try {
            result = workload.run(opener, scratch, control);
        } catch (Throwable t) { // recorded for the shell, logged, and an Error rethrown below
            failure = t;
        }
        int leftovers = opener.releaseLeftovers(); // caches of threads that would not end, abandoned by the run
        if (leftovers > 0) {
            LOG.warn("run {}: released {} caches the workload had left open", id, leftovers);
        }
        outcome = new Outcome(result, failure, System.nanoTime()); // last: DONE means everything is released
        if (failure == null) {
            LOG.info("run {}: {}", id, result);
        } else {
            LOG.error("run {}: {} failed", id, workload.describe(), failure);
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** The failure's message on one line, with its type when it has none. */
    static String oneLine(Throwable t) {
        String message = t.getMessage();
        String text = message == null || message.isBlank() ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + message;
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}

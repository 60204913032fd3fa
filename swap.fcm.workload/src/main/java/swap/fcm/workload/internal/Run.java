package swap.fcm.workload.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.workload.WorkloadControl;
import swap.fcm.workload.WorkloadControl.Phase;
import swap.fcm.workload.WorkloadResult;

/**
 * One run of a workload, in the calling thread: a headline part, and possibly a background part
 * that runs beside it until the headline part is done (the streams beside SDET).
 */
final class Run {

    /*
     * Phases (WorkloadControl.Phase): PREPARING (each part makes its directory, files and caches,
     * in the calling thread; a stop skips the rest), RUNNING (the background part's threads start
     * first, then the headline part runs or starts its threads; the calling thread awaits the
     * headline crew, then halts and awaits the background crew; a failure anywhere halts both),
     * CLEANING_UP (always: every part releases its caches and deletes its directory, whatever
     * happened before; a stuck crew's caches are abandoned instead, since one of its threads may
     * be inside), DONE. The first failure is thrown, with clean-up failures suppressed into it;
     * the calling thread's interrupt, taken as a stop request and cleared, is restored last.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Run.class);

    private final String name;
    private final RunContext run;
    private final Part headline;
    private final Part background;
    private final Crew headlineCrew;
    private final Crew backgroundCrew;

    /** @param background the part that runs beside {@code headline}, or null */
    Run(String name, RunContext run, Part headline, Part background) {
        this.name = name;
        this.run = run;
        this.headline = headline;
        this.background = background;
        this.headlineCrew = new Crew(headline.name, headline::halt);
        this.backgroundCrew = background == null ? null : new Crew(background.name, background::halt);
    }

    WorkloadResult perform() throws IOException {
        WorkloadControl control = run.control;
        control.enter(Phase.PREPARING);
        control.plan(headline.planned());
        LOG.debug("{} starts", name);
        Failures failures = new Failures();
        try {
            prepareAndExecute();
        } catch (IOException | RuntimeException | Error e) {
            failures.add(e);
        }
        control.enter(Phase.CLEANING_UP);
        for (Part part : parts()) {
            try {
                part.cleanUp(stuck());
            } catch (IOException | RuntimeException e) {
                failures.add(e); // thrown (or suppressed into the run's failure) below
            }
        }
        control.enter(Phase.DONE);
        run.restoreInterrupt();
        failures.throwIoOrUnchecked();
        WorkloadResult result = result();
        LOG.debug("{}", result);
        return result;
    }

    private void prepareAndExecute() throws IOException {
        for (Part part : parts()) {
            if (run.stopRequested()) {
                return;
            }
            part.prepare();
        }
        run.control.enter(Phase.RUNNING);
        if (!run.stopRequested()) {
            execute();
        }
    }

    /** Runs the parts (in this thread, or on their crews), waits for their threads, throws the first failure. */
    private void execute() throws IOException {
        long start = System.nanoTime();
        Failures failures = new Failures();
        try {
            if (background != null) {
                background.execute(backgroundCrew);
            }
            headline.execute(headlineCrew); // Postmark runs here; SDET starts its scripts
        } catch (IOException | RuntimeException | Error e) {
            failures.add(e);
            headline.halt();
        }
        List<RuntimeException> waits = awaitCrews(start);
        if (stuck()) {
            waits.forEach(failures::add); // the cause: what the workers threw once interrupted is its consequence
        }
        headlineCrew.addFailuresTo(failures);
        if (backgroundCrew != null) {
            backgroundCrew.addFailuresTo(failures);
        }
        waits.forEach(failures::add);
        failures.throwIoOrUnchecked();
    }

    /** Awaits the headline crew, then halts and awaits the background crew; returns what the waits threw. */
    private List<RuntimeException> awaitCrews(long start) {
        List<RuntimeException> waits = new ArrayList<>(2);
        try {
            headlineCrew.await(run, () -> backgroundCrew != null && backgroundCrew.hasFailed(), headline.operations::sum,
                    run.control.bound());
        } catch (RuntimeException e) {
            waits.add(e);
        }
        headline.elapsedNanos = System.nanoTime() - start;
        if (background != null) {
            // however the headline part ended, the background part's threads end before the clean-up
            background.halt();
            try {
                backgroundCrew.await(run, () -> true, background.operations::sum, run.control.bound());
            } catch (RuntimeException e) {
                waits.add(e);
            }
            background.elapsedNanos = System.nanoTime() - start;
        }
        return waits;
    }

    /** Whether a crew gave up on threads that would not end. */
    private boolean stuck() {
        return headlineCrew.isStuck() || backgroundCrew != null && backgroundCrew.isStuck();
    }

    private List<Part> parts() {
        List<Part> parts = new ArrayList<>(2);
        parts.add(headline);
        if (background != null) {
            parts.add(background);
        }
        return parts;
    }

    private WorkloadResult result() {
        long planned = headline.planned();
        boolean stopped = run.control.isStopped() && (planned < 0 || headline.operations.sum() < planned);
        WorkloadResult main = headline.result(stopped);
        if (background == null) {
            return main;
        }
        WorkloadResult side = background.result(false);
        return new WorkloadResult(name, main.operations(), main.elapsedNanos(), main.bytesRead() + side.bytesRead(),
                main.bytesWritten() + side.bytesWritten(), main.hits() + side.hits(), main.misses() + side.misses(),
                main.evictions() + side.evictions(), main.writeBacks() + side.writeBacks(), stopped, List.of(main, side));
    }
}

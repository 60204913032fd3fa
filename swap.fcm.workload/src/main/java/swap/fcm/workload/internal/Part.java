package swap.fcm.workload.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import swap.fcm.workload.WorkloadResult;

/**
 * One workload within a run (Postmark, SDET, the streams): its scratch directory, its caches, its
 * counters. The run's calling thread {@linkplain #prepare prepares} it, {@linkplain #execute
 * executes} it (running it there, or starting its threads) and {@linkplain #cleanUp cleans it up};
 * its threads, if any, count operations and bytes here.
 */
abstract class Part {

    /** The chunk in which files are read and written, in bytes. */
    static final int CHUNK = 16 * 1024;

    final String name;
    final RunContext run;
    final OpenCaches caches;
    /** Whether the control counts this part's operations (the headline part) or not (a background part). */
    private final boolean headline;
    final LongAdder operations = new LongAdder();
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    /** Set by the run to end this part's threads (stop, failure, or the headline part is done); read by them. */
    private volatile boolean halted;
    /** Made by prepare(); null until then. Calling thread only. */
    private Scratch scratch;
    /** Written by the run's calling thread only. */
    long elapsedNanos;

    Part(String name, RunContext run, boolean headline) {
        this.name = name;
        this.run = run;
        this.headline = headline;
        this.caches = new OpenCaches(run.opener);
    }

    /** The operations this part plans, or -1 if it runs until halted. */
    abstract long planned();

    /** In the calling thread: creates the part's files and opens their caches; returns early if the run stops. */
    abstract void prepare() throws IOException;

    /** In the calling thread: runs the part there, or starts its threads on {@code crew} and returns. */
    abstract void execute(Crew crew) throws IOException;

    /** Makes the part's scratch directory (first thing in {@link #prepare}). */
    final Scratch makeScratch() throws IOException {
        scratch = Scratch.create(run.scratchParent, name + "-");
        return scratch;
    }

    /** Whether this part's threads must stop: the run was stopped, or this part halted. */
    final boolean shouldStop() {
        return halted || run.control.isStopped();
    }

    final void halt() {
        halted = true;
    }

    /** One more operation done (any of the part's threads). */
    final void done() {
        operations.increment();
        if (headline) {
            run.control.worked(1);
        }
    }

    /**
     * In the calling thread, however the run ended: releases every cache the part still holds
     * ({@code abandonCaches}: forgets them instead, a stuck thread may be inside one), then deletes
     * its directory. Both are attempted; the first failure is thrown.
     */
    final void cleanUp(boolean abandonCaches) throws IOException {
        Failures failures = new Failures();
        try {
            if (abandonCaches) {
                caches.abandon();
            } else {
                caches.releaseAll();
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
        if (scratch != null) {
            try {
                scratch.delete();
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        failures.throwIoOrUnchecked();
    }

    /** The part's result, once cleaned up (the caches' statistics are complete then). */
    final WorkloadResult result(boolean stopped) {
        long[] s = caches.sums();
        return new WorkloadResult(name, operations.sum(), elapsedNanos, bytesRead.sum(), bytesWritten.sum(), s[0], s[1],
                s[2], s[3], stopped, List.of());
    }
}

package swap.fcm.workload;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A file workload over cached files: made by {@link Workloads} with its parameters, run any number
 * of times (each run with its own {@link WorkloadControl}). Runs are independent: they share
 * nothing but the opener and the scratch parent they are given, so one workload may run in several
 * threads at once.
 */
@ProviderType
public interface Workload {

    /** The workload's short name: {@code postmark}, {@code sdet}, {@code stream} or {@code sdet+stream}. */
    String name();

    /** One line: the name and every parameter as {@code name=value}, e.g. for a benchmark report. */
    String describe();

    /**
     * Runs the workload in the calling thread until it has done what its parameters plan, or
     * {@code control} was {@linkplain WorkloadControl#stop() stopped}, and returns what it did.
     *
     * <p>The run creates a fresh temporary directory under {@code scratchParent} and its files in
     * it, opens each file's cache with {@code opener}, and, however it ends (normally, stopped, or
     * by an exception, its opener's included), releases every cache it opened and deletes the
     * directory with everything in it. Interrupting the calling thread requests a stop (and the
     * interrupt is restored when the run returns); an interrupt that lands inside file I/O may close
     * that file's channel and so fail the run, as {@link java.nio.channels.FileChannel} does. Every
     * wait of the run for its own threads is bounded by {@link WorkloadControl#bound()}.
     *
     * @param scratchParent an existing directory to create the run's directory in
     * @param control a new control, used by this run only
     * @throws ContentMismatchException if a read returned bytes the workload did not write: a
     *         cache is broken
     * @throws IOException if a file cannot be created, opened, read, written or deleted
     * @throws IllegalStateException if {@code control} already served a run, or the run's threads
     *         made no progress, or did not end when asked, within the control's bound
     */
    WorkloadResult run(FcmOpener opener, Path scratchParent, WorkloadControl control) throws IOException;
}

package swap.fcm.workload.internal;

import java.nio.file.Path;
import java.util.Objects;
import swap.fcm.workload.FcmOpener;
import swap.fcm.workload.WorkloadControl;

/** What every part of one run shares: the opener, the scratch parent and the control. */
final class RunContext {

    final FcmOpener opener;
    final Path scratchParent;
    final WorkloadControl control;
    /** Written and read by the run's calling thread only. */
    private boolean interrupted;

    RunContext(FcmOpener opener, Path scratchParent, WorkloadControl control) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.scratchParent = Objects.requireNonNull(scratchParent, "scratchParent");
        this.control = Objects.requireNonNull(control, "control");
    }

    /**
     * In the calling thread, before each step: whether to stop. An interrupt of the calling thread
     * is taken as a stop request and cleared (so that the clean-up's file I/O is not interrupted);
     * {@link #restoreInterrupt()} sets it again when the run returns.
     */
    boolean stopRequested() {
        if (Thread.interrupted()) {
            interrupted();
        }
        return control.isStopped();
    }

    /** The calling thread was interrupted (and its flag cleared): stop, and restore the flag at the end. */
    void interrupted() {
        interrupted = true;
        control.stop();
    }

    void restoreInterrupt() {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

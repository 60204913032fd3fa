package swap.console.internal;

import java.util.List;
import org.HdrHistogram.Histogram;
import swap.hotswap.SwapResult;
import swap.ott.EntryDTO;

/** Typed results of the shell commands that are not framework DTOs; {@link SwapConverter} renders them. */
final class Views {

    private Views() {
    }

    /** The result of {@code swap:list}. */
    record EntryList(List<EntryDTO> entries) {
    }

    /** The result of {@code swap:history}. */
    record History(List<SwapResult> results) {
    }

    /** The result of {@code swap:stats}: a copy of a latency wrapper's histogram (nanoseconds). */
    record Stats(String entryId, Histogram histogram) {
    }

    /** The result of {@code swap:upgrade}: what was installed, what was removed, and the swaps it caused. */
    record Upgrade(String symbolicName, String oldVersion, long newBundleId, String newVersion, List<SwapResult> swaps) {
    }

    record Policies(List<PolicyView> policies) {
    }

    /** A policy as the shell shows it (read once, so that the row is consistent). */
    record PolicyView(String name, boolean enabled, int watching, String description) {
        static PolicyView of(swap.policy.SwapPolicy p) {
            return new PolicyView(p.name(), p.isEnabled(), p.watching().size(), p.description());
        }
    }

    /** The result of starting a workload from the shell: the run's id and what it runs. */
    record WorkloadStarted(int id, String description) {
    }

    /** The result of {@code fcm:workload list} and {@code fcm:workload stop}: runs, oldest first. */
    record WorkloadRuns(List<WorkloadRow> runs) {
    }

    /**
     * One run as the shell shows it (read once, so that the row is consistent): {@code planned} is
     * -1 until the run knows it (or if it runs until stopped); {@code outcome} is the
     * {@link swap.fcm.workload.WorkloadResult}'s line or {@code failed: <message>} once the phase
     * is DONE, null before.
     */
    record WorkloadRow(int id, String workload, swap.fcm.workload.WorkloadControl.Phase phase, long operations, long planned,
            long elapsedMillis, boolean stopRequested, String outcome) {
    }
}

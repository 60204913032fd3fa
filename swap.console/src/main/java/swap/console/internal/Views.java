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
}

package swap.fcm.workload;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one run of a {@link Workload} did: an immutable value.
 *
 * <p>{@code operations} are the workload's unit of throughput (Postmark: transactions; SDET:
 * commands over all scripts; streaming: pages read), counted over the {@linkplain
 * WorkloadControl.Phase#RUNNING running} phase, which {@code elapsedNanos} measures (preparation and
 * clean-up excluded). {@code bytesRead} and {@code bytesWritten} are what the workload read and
 * wrote through its caches, preparation included. {@code hits}, {@code misses}, {@code evictions}
 * and {@code writeBacks} are summed over every FCM the run used, from its {@link
 * swap.fcm.FcmStatistics} read just before it was released, so they cover the caches' whole use
 * (the warming of a prepared working set included). {@code stopped}: a {@linkplain
 * WorkloadControl#stop() stop} ended the run before it did all it planned.
 *
 * <p>A composite run (SDET with streams) has one {@code parts} entry per part, the headline part
 * first: its operations, time and {@code stopped} are the headline part's, its byte and cache
 * counters the sums over the parts. A simple run has no parts.
 */
public record WorkloadResult(String name, long operations, long elapsedNanos, long bytesRead, long bytesWritten,
        long hits, long misses, long evictions, long writeBacks, boolean stopped, List<WorkloadResult> parts) {

    /** @throws IllegalArgumentException if a count is negative */
    public WorkloadResult {
        Objects.requireNonNull(name, "name");
        parts = List.copyOf(parts);
        requireNonNegative("operations", operations);
        requireNonNegative("elapsedNanos", elapsedNanos);
        requireNonNegative("bytesRead", bytesRead);
        requireNonNegative("bytesWritten", bytesWritten);
        requireNonNegative("hits", hits);
        requireNonNegative("misses", misses);
        requireNonNegative("evictions", evictions);
        requireNonNegative("writeBacks", writeBacks);
    }

    /** Operations per second of the running phase, or 0 if it took no time. */
    public double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : operations * 1e9 / elapsedNanos;
    }

    /** Hits over page lookups of every cache used, or 0 without lookups. */
    public double hitRatio() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }

    /** One line, e.g. {@code sdet: 8000 ops in 1.250 s (6400.0 ops/s), read 120.5 MiB, written 1.1 MiB, ...}. */
    @Override
    public String toString() {
        String line = String.format(Locale.ROOT,
                "%s: %d ops in %.3f s (%.1f ops/s), read %.1f MiB, written %.1f MiB, hits %d, misses %d (hit ratio %.1f%%),"
                        + " evictions %d, write-backs %d%s",
                name, operations, elapsedNanos / 1e9, opsPerSecond(), bytesRead / 1048576.0, bytesWritten / 1048576.0,
                hits, misses, 100 * hitRatio(), evictions, writeBacks, stopped ? ", stopped" : "");
        return parts.isEmpty() ? line
                : line + " [" + parts.stream().map(WorkloadResult::toString).collect(Collectors.joining("; ")) + "]";
    }

    private static void requireNonNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, not " + value);
        }
    }
}

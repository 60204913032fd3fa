package swap.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * The JVM's safepoints while it records (every thread stopped: collections of a stop-the-world
 * collector, deoptimizations, cleanups and the other VM operations), as {@link System#nanoTime()}
 * intervals, from JFR's {@code jdk.SafepointBegin} and {@code jdk.SafepointEnd} events paired by
 * their safepoint id, read from an in-process recording stream. JFR gives wall-clock instants; they
 * are put on {@code nanoTime} by one reading of both clocks. Thread-safe.
 */
final class Safepoints implements AutoCloseable {

    private final RecordingStream stream = new RecordingStream();
    private final long nanosAtEpoch;
    private final Map<Long, Long> begun = new HashMap<>();
    private final List<long[]> safepoints = new ArrayList<>();
    private final AtomicLong flushes = new AtomicLong();

    Safepoints() {
        Instant now = Instant.now();
        nanosAtEpoch = System.nanoTime() - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
        stream.enable("jdk.SafepointBegin").withThreshold(Duration.ZERO);
        stream.enable("jdk.SafepointEnd").withThreshold(Duration.ZERO);
        stream.onEvent("jdk.SafepointBegin", e -> begun(e));
        stream.onEvent("jdk.SafepointEnd", e -> ended(e));
        stream.onFlush(flushes::incrementAndGet);
        stream.startAsync();
    }

    private long nanos(Instant t) {
        return nanosAtEpoch + t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private void begun(RecordedEvent e) {
        synchronized (safepoints) {
            begun.put(e.getLong("safepointId"), nanos(e.getStartTime()));
        }
    }

    private void ended(RecordedEvent e) {
        synchronized (safepoints) {
            Long start = begun.remove(e.getLong("safepointId"));
            if (start != null) {
                safepoints.add(new long[] {start, Math.max(start, nanos(e.getEndTime()))});
            }
        }
    }

    /** How long the safepoints recorded so far overlap {@code [start, end)}, in ns. */
    long overlap(long start, long end) {
        long sum = 0;
        synchronized (safepoints) {
            for (long[] s : safepoints) {
                sum += Math.max(0, Math.min(end, s[1]) - Math.max(start, s[0]));
            }
        }
        return sum;
    }

    /** The safepoints recorded so far that lie wholly in {@code [start, end)}, as {start, end} pairs. */
    List<long[]> within(long start, long end) {
        List<long[]> inside = new ArrayList<>();
        synchronized (safepoints) {
            for (long[] s : safepoints) {
                if (s[0] >= start && s[1] <= end) {
                    inside.add(s.clone());
                }
            }
        }
        return inside;
    }

    /** The safepoints recorded so far. */
    int count() {
        synchronized (safepoints) {
            return safepoints.size();
        }
    }

    /**
     * Waits until the stream has flushed twice more (JFR hands a stream what it recorded about once
     * a second), so that the safepoints until now have been read; at most {@code timeout}.
     *
     * @return false if the timeout passed first
     */
    boolean awaitRead(Duration timeout) {
        long target = flushes.get() + 2;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (flushes.get() < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
        return true;
    }

    @Override
    public void close() {
        stream.close();
    }
}

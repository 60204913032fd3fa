package swap.interpose.wrappers;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import swap.interpose.Call;
import swap.interpose.Wrapper;

/**
 * Records the latency of each call (from before the inner wrappers and the instance to after
 * them) in an HdrHistogram {@link Recorder}: recording is wait-free and never blocks a caller;
 * reading takes the values recorded since the previous read.
 */
public final class LatencyHistogram implements Wrapper {

    private static final long HIGHEST_TRACKABLE = TimeUnit.HOURS.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(HIGHEST_TRACKABLE, SIGNIFICANT_DIGITS);
    private Histogram interval;

    @Override
    public Object preCall(Call call) {
        return System.nanoTime();
    }

    @Override
    public void postCall(Call call, Object token) {
        long nanos = System.nanoTime() - (Long) token;
        recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_TRACKABLE));
    }

    /**
     * The latencies recorded since the wrapper was created, in nanoseconds: a copy, safe to keep.
     */
    public synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total.copy();
    }

    /** Forgets everything recorded so far. */
    public synchronized void reset() {
        interval = recorder.getIntervalHistogram(interval);
        total.reset();
    }

    @Override
    public String name() {
        return "latency";
    }
}

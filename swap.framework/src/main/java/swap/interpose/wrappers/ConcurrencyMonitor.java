package swap.interpose.wrappers;

import java.util.concurrent.atomic.AtomicInteger;
import swap.interpose.Call;
import swap.interpose.Wrapper;

/**
 * How many threads are inside the entry now, and the most there have been at once. (This writes
 * one shared counter per call: attach it when contention is suspected, as K42's monitors were.)
 */
public final class ConcurrencyMonitor implements Wrapper {

    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @Override
    public Object preCall(Call call) {
        int now = inside.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        return null;
    }

    @Override
    public void postCall(Call call, Object token) {
        inside.decrementAndGet();
    }

    /** Calls in progress now (those that started after the monitor was attached). */
    public int inside() {
        return inside.get();
    }

    /** The most calls in progress at once since the monitor was created or reset. */
    public int peak() {
        return peak.get();
    }

    /** Starts a new peak from the calls in progress now. */
    public void resetPeak() {
        peak.set(inside.get());
    }

    @Override
    public String name() {
        return "concurrency";
    }
}

package swap.internal.interpose;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.interpose.Wrapper;

/**
 * One wrapper as attached to one entry: the wrapper, the methods it is limited to, and the
 * rate limiter of its failure reports. Identity matters: detaching removes exactly this object.
 */
public final class Attachment {

    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);
    /** At most one failure report per attachment in this period; the others are counted. */
    static final long REPORT_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    final Wrapper wrapper;
    final boolean hasPostCall;
    /** Method names the wrapper is limited to; empty for all. */
    final Set<String> methods;
    private final AtomicLong nextReport = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();

    public Attachment(Wrapper wrapper, Set<String> methods) {
        this.wrapper = wrapper;
        this.hasPostCall = wrapper.hasPostCall();
        this.methods = Set.copyOf(methods);
    }

    public Wrapper wrapper() {
        return wrapper;
    }

    public Set<String> methods() {
        return methods;
    }

    /** Failures of this wrapper so far. */
    public long failures() {
        return failures.get();
    }

    String name() {
        try {
            return wrapper.name();
        } catch (RuntimeException e) {
            return wrapper.getClass().getName();
        }
    }

    /** Failure reports logged so far (the other failures were counted, not logged). */
    public long reports() {
        return reports.get();
    }

    /** Logs a failure of the wrapper, at most once per {@link #REPORT_PERIOD_NANOS}. */
    void report(String entryId, String method, String hook, Throwable failure) {
        failures.incrementAndGet();
        long now = System.nanoTime();
        long next = nextReport.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextReport.compareAndSet(next, now + REPORT_PERIOD_NANOS)) {
            long skipped = suppressed.getAndSet(0);
            reports.incrementAndGet();
            LOG.warn("wrapper {} on {}.{} failed in {}; the call went on without it{}", name(), entryId, method, hook,
                    skipped == 0 ? "" : " (" + skipped + " more failures of this wrapper not logged)", failure);
        } else {
            suppressed.incrementAndGet();
        }
    }

    @Override
    public String toString() {
        return name() + (methods.isEmpty() ? "" : methods.toString());
    }
}

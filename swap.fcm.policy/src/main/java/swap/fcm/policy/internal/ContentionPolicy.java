package swap.fcm.policy.internal;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.framework.Filter;
import swap.fcm.FileCacheManager;
import swap.interpose.Call;
import swap.ott.Entry;

/**
 * K42's contention detector: a monitor on each FCM's reads and writes counts the calls that find
 * {@link Settings#threads} or more threads inside the instance (itself included). Every
 * {@link Settings#periodMillis}, the policy thread looks at each count: at least
 * {@link Settings#contendedCalls} moves an instance that is not on a concurrent implementation to
 * one ({@link Settings#concurrent}, the replicated FCM); an instance on a concurrent implementation
 * whose calls have found no company for {@link Settings#quietMillis} goes back to the default
 * ({@link Settings#fallback}, the shared FCM).
 *
 * <p>The monitor writes two shared counters per read and write of the instance (as K42's
 * monitors did while attached); the decisions are made off the callers' threads.
 *
 * <p>On a machine with fewer than {@link Settings#minProcessors} processors the policy, even on,
 * attaches no monitor: with so few processors the replicated FCM's representatives cost more than
 * the contention they avoid (on 2 cores it was slower than the shared FCM on SDET with 2 and 4
 * scripts, {@code swap.bench.FcmWorkloads}), and the papers show its gain from 4 processors up.
 */
public class ContentionPolicy extends AdaptivePolicy<ContentionPolicy.Monitor> {

    /** The policy's name. */
    static final String NAME = "fcm.contention";

    /** The thresholds and targets, checked. */
    public record Settings(int threads, int contendedCalls, int periodMillis, int quietMillis, int minProcessors, Filter concurrent,
            Filter fallback) {
        public Settings(int threads, int contendedCalls, int periodMillis, int quietMillis, int minProcessors, String concurrent,
                String fallback) {
            this(atLeast("threads", threads, 2), atLeast("contended.calls", contendedCalls, 1),
                    atLeast("period.millis", periodMillis, 1), atLeast("quiet.millis", quietMillis, 0),
                    atLeast("min.processors", minProcessors, 1), filter("concurrent.filter", concurrent),
                    filter("default.filter", fallback));
        }

        public static Settings defaults() {
            return new Settings(2, 16, 100, 1000, 4, "(fcm.optimized.for=concurrent)", "(fcm.optimized.for=exclusive)");
        }
    }

    private volatile Settings settings;
    /** {@link #active(Settings)} of the settings now: asked for every new instance, and the processor count is not free to ask. */
    private volatile boolean active;
    private final Object checks = new Object();
    /** The periodic check, rescheduled when the period changes. Guarded by checks. */
    private java.util.concurrent.ScheduledFuture<?> check;

    public ContentionPolicy(Switchboard board, Settings settings) {
        super(board, NAME, "read", "write");
        setSettings(settings);
    }

    public void setSettings(Settings settings) {
        Settings old = this.settings;
        boolean wasActive = active;
        this.settings = settings;
        active = active(settings);
        if (old != null && wasActive != active) {
            rewatch();
        }
        synchronized (checks) {
            if (old == null || old.periodMillis() != settings.periodMillis()) {
                if (check != null) {
                    check.cancel(false);
                }
                check = thread.scheduleWithFixedDelay(this::checkAll, settings.periodMillis(), settings.periodMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    boolean active() {
        return active;
    }

    private static boolean active(Settings s) {
        return Runtime.getRuntime().availableProcessors() >= s.minProcessors();
    }

    @Override
    public String description() {
        Settings s = settings;
        if (!active(s)) {
            return "idle: " + Runtime.getRuntime().availableProcessors() + " processors, fewer than min.processors "
                    + s.minProcessors() + " (the replicated FCM does not pay here)";
        }
        return "FCM reads and writes: " + s.contendedCalls() + " calls in " + s.periodMillis() + " ms that find " + s.threads()
                + " or more threads inside -> " + s.concurrent() + ", no contention for " + s.quietMillis() + " ms -> "
                + s.fallback();
    }

    @Override
    Monitor monitor(Entry<FileCacheManager> entry, Map<String, Object> properties) {
        return new Monitor(entry, properties);
    }

    /** One look at every monitor, on the policy thread. */
    private void checkAll() {
        if (!isEnabled()) {
            return;
        }
        Settings s = settings;
        long now = System.nanoTime();
        for (Monitor m : monitors()) {
            long contended = m.contended.sumThenReset();
            if (!s.concurrent().matches(m.properties)) {
                m.quietSince = now;
                if (contended >= s.contendedCalls()) {
                    request(m, s.concurrent(), contended + " calls in " + s.periodMillis() + " ms found " + s.threads()
                            + " or more threads inside (threshold " + s.contendedCalls() + ")");
                }
            } else if (contended > 0) {
                m.quietSince = now;
            } else if (now - m.quietSince >= TimeUnit.MILLISECONDS.toNanos(s.quietMillis())) {
                m.quietSince = now;
                request(m, s.fallback(), "no contention for " + s.quietMillis() + " ms");
            }
        }
    }

    final class Monitor extends AdaptivePolicy.Monitor {
        final AtomicInteger inside = new AtomicInteger();
        final LongAdder contended = new LongAdder();
        /** When its calls last found company (or it last moved), System.nanoTime(). Policy thread only. */
        long quietSince = System.nanoTime();

        Monitor(Entry<FileCacheManager> entry, Map<String, Object> properties) {
            super(entry, properties);
        }

        @Override
        public Object preCall(Call call) {
            if (inside.incrementAndGet() >= settings.threads()) {
                contended.increment();
            }
            return null;
        }

        @Override
        public void postCall(Call call, Object token) {
            inside.decrementAndGet();
        }

        @Override
        public String name() {
            return "policy " + NAME;
        }
    }
}

package swap.internal.hotswap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action at a swap's deadline unless it is cancelled first: the watchdog of a state
 * transfer. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Deadlines {

    /** A scheduled action; {@link #cancel()} is idempotent and never blocks. */
    interface Alarm {
        void cancel();
    }

    /** Runs {@code action} once, on another thread, after {@code delayNanos} unless cancelled before. */
    Alarm schedule(Runnable action, long delayNanos);

    /** A {@linkplain Ticking ticking watchdog}: one per table. */
    static Deadlines ticking(String threadName) {
        return new Ticking(threadName);
    }

    /**
     * Deadlines that never fire. Only for model checking, where the schedule has no wall clock and
     * a timer thread outside the checker's control would disturb it.
     */
    static Deadlines never() {
        return (action, delayNanos) -> () -> {
        };
    }

    /**
     * A watchdog that costs a swap no wake-up: {@link #schedule} adds the alarm to a concurrent set
     * and {@link Alarm#cancel} removes it; one daemon thread checks the set at least every
     * {@value #TICK_MILLIS} ms, so an alarm fires at most that late. The thread starts with the
     * first alarm and ends after {@value #LINGER_MILLIS} ms without any, so an idle table holds no
     * thread (and no class loader).
     */
    final class Ticking implements Deadlines, Runnable {
        static final long TICK_MILLIS = 10;
        static final long LINGER_MILLIS = 1_000;
        private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

        private final String threadName;
        private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
        /** Whether a thread is running (or about to run) {@link #run()}. */
        private final AtomicBoolean running = new AtomicBoolean();

        Ticking(String threadName) {
            this.threadName = threadName;
        }

        private final class Pending implements Alarm {
            final long due;
            final Runnable action;

            Pending(long due, Runnable action) {
                this.due = due;
                this.action = action;
            }

            @Override
            public void cancel() {
                pending.remove(this);
            }
        }

        @Override
        public Alarm schedule(Runnable action, long delayNanos) {
            Pending p = new Pending(System.nanoTime() + Math.max(0, delayNanos), action);
            pending.add(p);
            // add, then read `running`; the thread writes `running`, then reads the set: one sees the other
            if (!running.get() && running.compareAndSet(false, true)) {
                Thread t = new Thread(this, threadName);
                t.setDaemon(true);
                t.start();
            }
            return p;
        }

        @Override
        public void run() {
            long lastBusy = System.nanoTime();
            for (;;) {
                long now = System.nanoTime();
                long sleep = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                for (Pending p : pending) {
                    long left = p.due - now;
                    if (left > 0) {
                        sleep = Math.min(sleep, left);
                    } else if (pending.remove(p)) {
                        fire(p);
                    }
                }
                if (!pending.isEmpty()) {
                    lastBusy = now;
                } else if (now - lastBusy > TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS)) {
                    running.set(false);
                    if (pending.isEmpty() || !running.compareAndSet(false, true)) {
                        return; // idle; the next schedule starts a thread
                    }
                    continue; // an alarm came as we were leaving, and nobody started a thread for it
                }
                LockSupport.parkNanos(this, sleep);
            }
        }

        private static void fire(Pending p) {
            try {
                p.action.run();
            } catch (RuntimeException | Error e) {
                LOG.error("swap watchdog action failed", e);
            }
        }
    }
}

package swap.internal.quiesce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Property: a flip's drain never completes while a call that entered before the flip is still
 * inside. Callers enter, read the current version, and while still inside check that the version
 * they read has not been retired; a swapper publishes a new version, flips, waits for the drain
 * and only then retires the old version. A negative control retires without waiting, to show
 * that the check does catch violations.
 */
class GenerationCounterStressTest {

    private static final Duration RUN = Duration.ofMillis(1500);
    private static final int CALLERS = 3;

    private static final class Run {
        final GenerationCounter counter;
        volatile long version;
        volatile long retired = -1;
        final AtomicLong violations = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong flips = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Run(Fences.Mode mode) {
            counter = new CallStacks(mode).newCounter("stress");
        }

        void call() {
            CallStack s = counter.enter();
            try {
                long v = version;
                for (int i = 0; i < 3; i++) {
                    Thread.onSpinWait(); // a call that takes a little while
                    if (retired >= v) {
                        violations.incrementAndGet();
                    }
                }
                if ((calls.incrementAndGet() & 7) == 0) { // sometimes nest
                    CallStack inner = counter.enter();
                    if (retired >= v) {
                        violations.incrementAndGet();
                    }
                    inner.exit();
                }
            } finally {
                s.exit();
            }
        }

        void swap(boolean wait) throws InterruptedException {
            long old = version;
            version = old + 1;
            Drain drain = counter.flip();
            if (wait && !drain.await(Duration.ofSeconds(10))) {
                throw new AssertionError("drain did not complete: " + drain.describe());
            }
            retired = old;
            flips.incrementAndGet();
        }

        void run(boolean wait) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                threads.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            call();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "caller-" + i));
            }
            long deadline = System.nanoTime() + RUN.toNanos();
            threads.add(new Thread(() -> {
                try {
                    while (System.nanoTime() - deadline < 0) {
                        swap(wait);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    stop.set(true); // the swapper ends the run
                }
            }, "swapper"));
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(RUN.toMillis() + 20_000);
                assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
            }
            assertThat(failure.get()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Fences.Mode.class)
    void aDrainNeverCompletesWhileAnEarlierCallIsInside(Fences.Mode mode) throws InterruptedException {
        assumeTrue(mode == Fences.Mode.PORTABLE || Fences.asymmetricAvailable(), "membarrier is not available here");
        Run run = new Run(mode);
        run.run(true);
        assertThat(run.flips.get()).as("flips").isGreaterThan(100);
        assertThat(run.calls.get()).as("calls").isGreaterThan(10_000);
        assertThat(run.violations.get()).as("calls that saw their version retired while inside").isZero();
        assertThat(run.counter.flip().isComplete()).as("every call has left").isTrue();
    }

    @Test
    void negativeControlRetiringWithoutWaitingIsCaught() throws InterruptedException {
        Run run = new Run(Fences.Mode.PORTABLE);
        run.run(false);
        assertThat(run.violations.get()).as("the check detects a swapper that does not wait").isPositive();
    }
}

package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import swap.fixture.Counter;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapTarget;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.Entry;
import swap.transfer.Transferable;

/**
 * Property: under threads calling a stateful counter (some calls recursive through the stub)
 * while a swapper swaps it about once a millisecond, with faults injected into creation, export
 * and import, every call returns exactly once and without an error, no two instances of the
 * entry ever run calls at the same time, no increment is lost or duplicated across thousands of
 * swaps, and no swap is left in the entry.
 */
class HotSwapStressTest {

    private static final Duration RUN = Duration.ofMillis(4000);
    private static final int CALLERS = 2;

    /** Which instance runs calls now, and how many: (instance number << 32) | calls. */
    private static final class Occupancy {
        private final AtomicLong word = new AtomicLong();
        final AtomicLong overlaps = new AtomicLong();

        void enter(int instance) {
            for (;;) {
                long w = word.get();
                int who = (int) (w >>> 32);
                int calls = (int) w;
                if (calls > 0 && who != instance) {
                    overlaps.incrementAndGet(); // two instances inside at once
                }
                long next = ((long) instance << 32) | (calls + 1);
                if (word.compareAndSet(w, next)) {
                    return;
                }
            }
        }

        void leave() {
            word.decrementAndGet();
        }
    }

    /** Faults the swapper asks for, per try. */
    private static final class Faults {
        volatile boolean failExport;
        volatile boolean failImport;
    }

    /** A counter that checks the occupancy of its entry and fails export or import on demand. */
    public static class StressCounter implements Counter, Transferable {
        private static final AtomicInteger NUMBERS = new AtomicInteger();
        static Occupancy occupancy;
        static Faults faults;
        private final AtomicLong count = new AtomicLong();
        private final int number = NUMBERS.incrementAndGet();

        @Override
        public long increment() {
            occupancy.enter(number);
            try {
                return count.incrementAndGet();
            } finally {
                occupancy.leave();
            }
        }

        @Override
        public long get() {
            return count.get();
        }

        @Override
        public long nest(Counter self, int depth) {
            occupancy.enter(number);
            try {
                if (depth > 0) {
                    self.nest(self, depth - 1);
                }
                return count.incrementAndGet();
            } finally {
                occupancy.leave();
            }
        }

        @Override
        public long hold(CountDownLatch entered, CountDownLatch release) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String whoAmI() {
            return "StressCounter#" + number;
        }

        @Override
        public long exportProtocols() {
            return 1;
        }

        @Override
        public long importProtocols() {
            return 1;
        }

        @Override
        public Object exportState(int protocol) {
            if (faults.failExport) {
                throw new IllegalStateException("injected export fault");
            }
            return count.get();
        }

        @Override
        public void importState(int protocol, Object state) {
            count.set((Long) state);
            if (faults.failImport) {
                throw new IllegalStateException("injected import fault");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fences.Mode.class)
    void noCallLostDoubledOrOverlappedAcrossThousandsOfSwapsWithFaults(Fences.Mode fences) throws InterruptedException {
        assumeTrue(fences == Fences.Mode.PORTABLE || Fences.asymmetricAvailable(), "membarrier is not available here");
        Occupancy occupancy = new Occupancy();
        Faults faults = new Faults();
        StressCounter.occupancy = occupancy;
        StressCounter.faults = faults;
        TableImpl table = new TableImpl(type -> null, fences);
        AtomicInteger creations = new AtomicInteger();
        table.registerFactory("stress", Counter.class, () -> {
            if (creations.incrementAndGet() % 17 == 0) {
                throw new IllegalStateException("injected creation fault");
            }
            return new StressCounter();
        });
        Entry<Counter> entry = table.create("stress", Counter.class, "stress");
        Counter counter = entry.stub();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong increments = new AtomicLong();
        AtomicLong callsStarted = new AtomicLong();
        AtomicLong callsReturned = new AtomicLong();
        AtomicLong commits = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            threads.add(new Thread(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        callsStarted.incrementAndGet();
                        if (random.nextInt(8) == 0) {
                            int depth = random.nextInt(3);
                            counter.nest(counter, depth);
                            increments.addAndGet(depth + 1);
                        } else {
                            counter.increment();
                            increments.incrementAndGet();
                        }
                        callsReturned.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "caller-" + i));
        }
        long deadline = System.nanoTime() + RUN.toNanos();
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofMillis(200)).withTries(3)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4));
        threads.add(new Thread(() -> {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() - deadline < 0) {
                    faults.failExport = random.nextInt(20) == 0;
                    faults.failImport = random.nextInt(20) == 0;
                    try {
                        SwapTarget<Counter> target = random.nextBoolean() ? SwapTarget.fresh() : SwapTarget.factory("stress");
                        entry.swap(target, options, "stress");
                        commits.incrementAndGet();
                    } catch (SwapException e) {
                        failures.incrementAndGet();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // about one swap per millisecond
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                faults.failExport = false;
                faults.failImport = false;
                stop.set(true);
            }
        }, "swapper"));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(RUN.toMillis() + 30_000);
            assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
        }

        assertThat(failure.get()).as("no caller saw an error").isNull();
        assertThat(callsReturned.get()).as("every call returned exactly once").isEqualTo(callsStarted.get());
        assertThat(commits.get()).as("swaps committed (%d more failed)", failures.get()).isGreaterThan(1000);
        assertThat(failures.get()).as("some swaps failed on injected faults").isPositive();
        assertThat(occupancy.overlaps.get()).as("calls on two instances at once").isZero();
        assertThat(counter.get()).as("no increment lost or duplicated").isEqualTo(increments.get());
        assertThat(entry.history()).hasSizeLessThanOrEqualTo(TableImpl.HISTORY);
        Invariants.assertQuiescent(table);
    }
}

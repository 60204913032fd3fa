package swap.interpose.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.interpose.Call;
import swap.interpose.Wrapper;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

class BuiltInWrappersTest {

    private final ShapesImpl impl = new ShapesImpl("box");
    private final Entry<Shapes> entry = new TableImpl().register("s", Shapes.class, impl);
    private final Shapes stub = entry.stub();

    @Test
    void theCallCounterCountsCallsFailuresAndMethods() {
        CallCounter counter = new CallCounter();
        entry.attach(counter);
        stub.add(1, 2);
        stub.add(1L, 2L);
        stub.name();
        assertThatThrownBy(() -> stub.failUnchecked("x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(counter.calls()).isEqualTo(4);
        assertThat(counter.failures()).isEqualTo(1);
        assertThat(counter.calls("add")).isEqualTo(2);
        assertThat(counter.perMethod()).containsExactly(
                java.util.Map.entry("add", 2L), java.util.Map.entry("failUnchecked", 1L), java.util.Map.entry("name", 1L));
    }

    @Test
    void theLatencyHistogramRecordsEachCall() {
        LatencyHistogram latency = new LatencyHistogram();
        entry.attach(FaultInjector.delay(Duration.ofMillis(5)), "name"); // inner
        entry.attach(latency); // outer: sees the delay
        for (int i = 0; i < 3; i++) {
            stub.name();
        }
        stub.add(1, 1);
        Histogram h = latency.snapshot();
        assertThat(h.getTotalCount()).isEqualTo(4);
        assertThat(h.getMaxValue()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(h.getMinValue()).isLessThan(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(latency.snapshot().getTotalCount()).as("cumulative").isEqualTo(4);
        latency.reset();
        assertThat(latency.snapshot().getTotalCount()).isZero();
    }

    @Test
    void theTracerDescribesEachCall() {
        List<String> lines = new ArrayList<>();
        entry.attach(new Tracer(Level.TRACE)); // below the test logger's level: runs, logs nothing
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                return System.nanoTime();
            }

            @Override
            public void postCall(Call call, Object token) {
                lines.add(Tracer.describe(call, 7));
            }
        });
        stub.add(2, 3);
        stub.range(1, 4);
        stub.store("k", null);
        stub.join("-", "a", "b");
        assertThatThrownBy(() -> stub.failChecked("disk")).isInstanceOf(IOException.class);
        assertThat(lines).containsExactly(
                "s.add(2, 3) -> 5 in 7 us",
                "s.range(1, 4) -> [1, 2, 3] in 7 us",
                "s.store(k, null) -> void in 7 us",
                "s.join(-, [a, b]) -> a-b in 7 us",
                "s.failChecked(disk) threw java.io.IOException: disk in 7 us");
    }

    @Test
    void theConcurrencyMonitorSeesThreadsInsideAndThePeak() throws InterruptedException {
        ConcurrencyMonitor monitor = new ConcurrencyMonitor();
        CountDownLatch inside = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        entry.attach(new Wrapper() {
            @Override
            public Object preCall(Call call) {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
        }, "name");
        entry.attach(monitor);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(stub::name);
            threads.add(t);
            t.start();
        }
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(monitor.inside()).isEqualTo(3);
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(monitor.inside()).isZero();
        assertThat(monitor.peak()).isEqualTo(3);
        monitor.resetPeak();
        assertThat(monitor.peak()).isZero();
    }

    @Test
    void theFaultInjectorFailsChosenCalls() {
        FaultInjector faults = FaultInjector.fail(() -> new IOException("injected")).everyNth(3);
        entry.attach(faults, "failChecked", "add");
        int failed = 0;
        for (int i = 0; i < 9; i++) {
            try {
                stub.failChecked("real");
            } catch (IOException e) {
                failed += e.getMessage().equals("injected") ? 1 : 0;
            }
        }
        assertThat(failed).isEqualTo(3);
        // add cannot throw IOException: the injection is refused and the call goes on
        for (int i = 0; i < 3; i++) {
            assertThat(stub.add(i, 1)).isEqualTo(i + 1);
        }
        assertThat(faults.injected()).isEqualTo(4);
        assertThat(faults.name()).isEqualTo("faults(fail, every 3)");
    }

    @Test
    void anInterruptedDelayEndsEarlyAndKeepsTheInterrupt() {
        entry.attach(FaultInjector.delay(Duration.ofSeconds(30)), "name");
        Thread.currentThread().interrupt();
        long start = System.nanoTime();
        assertThat(stub.name()).isEqualTo("box");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
    }

    @Test
    void faultInjectorArgumentsAreChecked() {
        assertThatIllegalArgumentException().isThrownBy(() -> FaultInjector.delay(Duration.ofMillis(-1)))
                .withMessage("delay PT-0.001S is negative");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultInjector.delay(Duration.ZERO).everyNth(0))
                .withMessage("every 0th call: n must be at least 1");
    }
}

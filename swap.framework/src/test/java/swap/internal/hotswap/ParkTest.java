package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.fixture.CounterV2;
import swap.fixture.CounterWithoutState;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapResult;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.ott.Mode;

/** Parking: the old instance goes before its replacement comes (a provider bundle being updated). */
class ParkTest {

    private static final long BOUND_SECONDS = 10;
    private static final SwapOptions OPTIONS = SwapOptions.defaults().withTimeout(Duration.ofMillis(500))
            .withMaxHold(Duration.ofSeconds(BOUND_SECONDS));

    private final TableImpl table = new TableImpl();
    private final CounterV2 first = new CounterV2();
    private final EntryImpl<Counter> entry = (EntryImpl<Counter>) table.register("counter", Counter.class, first);
    private final Counter counter = entry.stub();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void invariants() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("test threads ended").isTrue();
        Invariants.assertQuiescent(table);
    }

    @Test
    void callsAreHeldWhileParkedAndGoWithTheStateToTheReplacement() throws Exception {
        counter.increment();
        counter.increment();
        Swapper.Parked parked = entry.park(OPTIONS, "update", "provider gone");
        assertThat(parked.exportedProtocols()).as("highest and canonical").isEqualTo(0b1001L);
        assertThat(entry.snapshot().mode).isEqualTo(Mode.SWAPPING);
        Future<Long> held = threads.submit(counter::increment);
        Invariants.await("a call held by the parked entry", () -> Invariants.held(entry) >= 1);
        assertThat(held).isNotDone();

        CounterV2 next = new CounterV2();
        SwapResult result = parked.resume(next);

        assertThat(result.outcome).isEqualTo(SwapOutcome.COMMITTED);
        assertThat(result.protocol).isEqualTo(3);
        assertThat(held.get(BOUND_SECONDS, TimeUnit.SECONDS)).as("released to the new instance, with the state").isEqualTo(3);
        assertThat(next.count()).isEqualTo(3);
        assertThat(first.count()).as("the old instance saw no call after parking").isEqualTo(2);
        assertThat(first.swappedOut).isTrue();
        assertThat(result.callsHeld).isEqualTo(1);
        assertThat(parked.isWaiting()).isFalse();
        assertThat(entry.history()).containsExactly(result);
    }

    @Test
    void afterTheResumeNothingKeepsTheOldInstance() throws Exception {
        TableImpl own = new TableImpl();
        java.lang.ref.ReferenceQueue<Object> queue = new java.lang.ref.ReferenceQueue<>();
        EntryImpl<Counter> e = (EntryImpl<Counter>) own.register("weak", Counter.class, new CounterImpl());
        CounterImpl first = new CounterImpl();
        java.lang.ref.WeakReference<Object> instance = new java.lang.ref.WeakReference<>(first, queue);
        e.swap(swap.hotswap.SwapTarget.instance(first), OPTIONS, null);
        first = null;
        e.park(OPTIONS, null, "gone").resume(new CounterImpl());
        for (int i = 0; i < 50 && queue.remove(100) == null; i++) {
            System.gc();
        }
        assertThat(instance.get()).as("the parked-then-replaced instance was collected").isNull();
        Invariants.assertQuiescent(own);
    }

    @Test
    void aReplacementThatKnowsOnlyTheCanonicalFormatGetsIt() {
        counter.increment();
        Swapper.Parked parked = entry.park(OPTIONS, null, "provider gone");
        CounterImpl older = new CounterImpl(); // imports bit 0 only
        assertThat(parked.resume(older).protocol).isZero();
        assertThat(counter.increment()).isEqualTo(2);
    }

    @Test
    void aCallHeldTooLongFailsAsUnavailableAndTheStateWaitsForTheNextProvider() throws Exception {
        counter.increment();
        Swapper.Parked parked = entry.park(OPTIONS.withMaxHold(Duration.ofMillis(50)), null, "provider gone");
        assertThatThrownBy(counter::increment).isInstanceOf(SwapException.class)
                .hasMessageContaining("counter").hasMessageContaining("provider gone").hasMessageContaining("held for 50 ms");
        CounterImpl next = new CounterImpl();
        parked.resume(next);
        assertThat(counter.increment()).as("nothing lost").isEqualTo(2);
    }

    @Test
    void aRefusedOrFailingReplacementLeavesTheEntryParkedWithItsState() throws Exception {
        counter.increment();
        Swapper.Parked parked = entry.park(OPTIONS, null, "provider gone");
        Future<Long> held = threads.submit(counter::increment);
        Invariants.await("a call held", () -> Invariants.held(entry) >= 1);

        assertThatThrownBy(() -> parked.resume(new CounterWithoutState())).isInstanceOf(SwapException.class)
                .hasMessageContaining("stays parked").hasMessageContaining("no transfer contract");
        CounterImpl onlyProtocol5 = new CounterImpl() {
            @Override
            public long importProtocols() {
                return 1L << 5;
            }
        };
        assertThatThrownBy(() -> parked.resume(onlyProtocol5)).isInstanceOf(SwapException.class)
                .hasMessageContaining("no common state transfer protocol").hasMessageContaining("0x9 (bits 0,3)")
                .hasMessageContaining("0x20 (bits 5)");
        assertThat(onlyProtocol5.abandoned).isTrue();
        CounterV2 throwing = new CounterV2() {
            @Override
            public void importState(int protocol, Object state) {
                throw new OutOfMemoryError("simulated");
            }
        };
        assertThatThrownBy(() -> parked.resume(throwing)).isInstanceOf(SwapException.class)
                .hasMessageContaining("importState (protocol 3)").hasMessageContaining("OutOfMemoryError");
        assertThat(parked.isWaiting()).isTrue();
        assertThat(held).isNotDone();

        CounterV2 good = new CounterV2();
        parked.resume(good);
        assertThat(held.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(entry.history()).hasSize(4).extracting(r -> r.outcome)
                .containsExactly(SwapOutcome.FAILED, SwapOutcome.FAILED, SwapOutcome.FAILED, SwapOutcome.COMMITTED);
    }

    @Test
    void abortRemovesTheEntryAndHeldCallsFailAsRemoved() throws Exception {
        Swapper.Parked parked = entry.park(OPTIONS, null, "provider gone");
        Future<Long> held = threads.submit(counter::increment);
        Invariants.await("a call held", () -> Invariants.held(entry) >= 1);

        parked.abort("framework stopping");
        parked.abort("again"); // idempotent

        assertThatThrownBy(() -> held.get(BOUND_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessageContaining("removed");
        assertThat(entry.isRemoved()).isTrue();
        assertThat(table.lookup("counter")).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> parked.resume(new CounterV2()));
        assertThat(first.count()).isZero();
    }

    @Test
    void removingAParkedEntryGivesUpThePark() throws Exception {
        Swapper.Parked parked = entry.park(OPTIONS, null, "provider gone");
        Future<Long> held = threads.submit(counter::increment);
        Invariants.await("a call held", () -> Invariants.held(entry) >= 1);
        long start = System.nanoTime();
        entry.remove();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("did not wait for the swap permit")
                .isLessThan(OPTIONS.queueTimeout().toMillis());
        assertThat(parked.isWaiting()).isFalse();
        assertThatThrownBy(() -> held.get(BOUND_SECONDS, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSecondSwapWaitsForTheParkedOneAndParkingARemovedEntryIsRefused() {
        Swapper.Parked parked = entry.park(OPTIONS, null, "provider gone");
        assertThatThrownBy(() -> entry.park(OPTIONS.withQueueTimeout(Duration.ofMillis(20)), null, "x"))
                .isInstanceOf(SwapException.class).hasMessageContaining("queue timeout");
        parked.resume(new CounterV2());
        entry.remove();
        assertThatIllegalStateException().isThrownBy(() -> entry.park(OPTIONS, null, "x")).withMessageContaining("removed");
    }

    @Test
    void aCallThatDoesNotLeaveInTimeMakesParkingFailAndTheOldInstanceServes() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Future<Long> inside = threads.submit(() -> counter.hold(entered, release));
        assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> entry.park(OPTIONS.withTimeout(Duration.ofMillis(50)), null, "gone"))
                .isInstanceOf(SwapException.class).hasMessageContaining("phase FORWARD");

        assertThat(entry.snapshot().mode).isEqualTo(Mode.DIRECT);
        release.countDown();
        assertThat(inside.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(counter.increment()).isEqualTo(2);
    }
}

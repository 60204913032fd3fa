package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.fixture.Peer;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapPhase;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.Mode;

/** Hot swaps that hang, deadlock or fail, and end cleanly anyway. */
class HotSwapFaultsTest {

    private static final long BOUND_SECONDS = 10;

    private final TableImpl table = new TableImpl();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void invariants() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        Invariants.assertQuiescent(table);
    }

    @Test
    void anExportThatOverrunsKeepsCallersHeldUntilItReturnsThenRollsBack() throws Exception {
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CounterImpl slow = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                exporting.countDown();
                finish.await(30, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        };
        Entry<Counter> entry = table.register("slow-export", Counter.class, slow);
        Counter counter = entry.stub();
        counter.increment();
        CounterImpl next = new CounterImpl();
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofMillis(100)).withTries(1);
        long past = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
        CompletableFuture<SwapResult> swap = entry.swapAsync(SwapTarget.instance(next), options, null).toCompletableFuture();
        assertThat(exporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        Future<Long> held = threads.submit(counter::increment);
        Invariants.await("the call held", () -> Invariants.held(entry) == 1);
        Invariants.await("the swap's deadline passed", () -> System.nanoTime() - past > 0);
        assertThat(held).as("the old instance is still exporting: the call waits").isNotDone();
        assertThat(entry.snapshot().mode).isEqualTo(Mode.SWAPPING);

        finish.countDown(); // the export returns after the deadline: roll back, release the call to the old instance
        assertThat(held.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> swap.get(BOUND_SECONDS, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(failed.getCause()).isInstanceOf(SwapException.class)
                .hasMessageContaining("phase TRANSFER: exportState of").hasMessageContaining("did not return within 100 ms");
        assertThat(counter.whoAmI()).isEqualTo(slow.whoAmI());
        assertThat(next.abandoned).isTrue();
        assertThat(entry.swap(SwapTarget.instance(new CounterImpl()), options).committed()).as("the entry is free again").isTrue();
        assertThat(counter.get()).isEqualTo(2);
    }

    @Test
    void aCallerHeldLongerThanTheHoldLimitFailsWithAClearException() throws Exception {
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CounterImpl hanging = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                exporting.countDown();
                finish.await(30, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        };
        Entry<Counter> entry = table.register("limit", Counter.class, hanging);
        Counter counter = entry.stub();
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofMillis(50)).withMaxHold(Duration.ofMillis(200));
        entry.swapAsync(SwapTarget.instance(new CounterImpl()), options, null);
        assertThat(exporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(counter::increment).isInstanceOf(SwapException.class)
                .hasMessage("entry limit: a call was held for more than 200 ms by a swap in phase TRANSFER");
        finish.countDown();
        Invariants.await("the rollback", () -> ((EntryImpl<?>) entry).mediatorInProgress() == null);
        assertThat(counter.increment()).isEqualTo(1);
    }

    @Test
    void anImportThatOverrunsIsRolledBackAtTheDeadlineAndTheOldInstanceServes() throws Exception {
        CountDownLatch importing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CounterImpl[] made = new CounterImpl[1];
        table.registerFactory("slow-import", Counter.class, () -> made[0] = new CounterImpl() {
            @Override
            public void importState(int protocol, Object state) throws Exception {
                importing.countDown();
                finish.await(30, TimeUnit.SECONDS);
                super.importState(protocol, state);
            }
        });
        CounterImpl first = new CounterImpl();
        Entry<Counter> entry = table.register("import", Counter.class, first);
        Counter counter = entry.stub();
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofMillis(100)).withTries(1);
        CompletableFuture<SwapResult> swap = entry.swapAsync(SwapTarget.factory("slow-import"), options, null)
                .toCompletableFuture();
        assertThat(importing.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        // while importState is still running, the watchdog rolls back at the deadline: calls go to the old instance
        assertThat(threads.submit(counter::whoAmI).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(first.whoAmI());
        assertThat(swap).as("the swapping thread is still in importState").isNotDone();
        finish.countDown();
        ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> swap.get(BOUND_SECONDS, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(failed.getCause()).isInstanceOf(SwapException.class)
                .hasMessageContaining("phase TRANSFER: importState of").hasMessageContaining("rolled back at the deadline");
        assertThat(made[0].abandoned).isTrue();
        assertThat(counter.increment()).isEqualTo(1);
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());
    }

    @Test
    void aDeadlockCycleEndsByTimeoutAndRollbackWithNoLostCall() throws Exception {
        Entry<Peer> x = table.register("X", Peer.class, new Peer.Impl());
        Entry<Peer> y = table.register("Y", Peer.class, new Peer.Impl());
        Peer px = x.stub();
        Peer py = y.stub();
        // callers inside X and Y before the swaps: they keep both swaps in Forward for a while
        CountDownLatch earlyIn = new CountDownLatch(2);
        CountDownLatch earlyGo = new CountDownLatch(1);
        Peer.Impl noop = new Peer.Impl();
        Future<Long> earlyX = threads.submit(() -> px.relay(noop, earlyIn, earlyGo));
        Future<Long> earlyY = threads.submit(() -> py.relay(noop, earlyIn, earlyGo));
        assertThat(earlyIn.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofMillis(400)).withTries(1);
        CompletableFuture<SwapResult> sx = x.swapAsync(SwapTarget.fresh(), options, "cycle X").toCompletableFuture();
        CompletableFuture<SwapResult> sy = y.swapAsync(SwapTarget.fresh(), options, "cycle Y").toCompletableFuture();
        Invariants.await("both swaps in Forward", () -> phase(x) == SwapPhase.FORWARD && phase(y) == SwapPhase.FORWARD);

        // A enters X and B enters Y during Forward: both tracked
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        Future<Long> a = threads.submit(() -> px.relay(py, inside, go));
        Future<Long> b = threads.submit(() -> py.relay(px, inside, go));
        assertThat(inside.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        earlyGo.countDown(); // the early calls leave: both swaps move to Blocked, waiting for A and B
        Invariants.await("both swaps blocked", () -> phase(x) == SwapPhase.BLOCKED && phase(y) == SwapPhase.BLOCKED);
        go.countDown(); // A calls Y, B calls X: each is held by the other's swap: a cycle

        assertThat(a.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(b.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(earlyX.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(earlyY.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        List<SwapResult> results = List.of(outcome(sx), outcome(sy));
        assertThat(results).as("the cycle was broken by a timeout in Blocked")
                .anySatisfy(r -> {
                    assertThat(r.outcome).isEqualTo(SwapOutcome.FAILED);
                    assertThat(r.failure).startsWith("phase BLOCKED: 1 tracked calls still inside, 1 callers held");
                });
    }

    @Test
    void aComponentWhoseProtocolVectorThrowsIsRefusedBeforeAnythingChanges() {
        CounterImpl first = new CounterImpl() {
            @Override
            public long exportProtocols() {
                throw new IllegalStateException("no export vector");
            }
        };
        Entry<Counter> entry = table.register("vectors", Counter.class, first);
        Counter counter = entry.stub();
        counter.increment();
        CounterImpl rejected = new CounterImpl();

        SwapException refused = catchThrowableOfType(() -> entry.swap(SwapTarget.instance(rejected), SwapOptions.defaults()),
                SwapException.class);

        assertThat(refused.result().outcome).isEqualTo(SwapOutcome.REFUSED);
        assertThat(refused).hasMessageContaining("entry vectors: exportProtocols() of ")
                .hasMessageContaining("threw java.lang.IllegalStateException: no export vector")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(entry.history()).as("recorded").containsExactly(refused.result());
        assertThat(rejected.abandoned).isTrue();
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());

        CounterImpl noImports = new CounterImpl() {
            @Override
            public long importProtocols() {
                throw new UnsupportedOperationException("no import vector");
            }
        };
        Entry<Counter> other = table.register("imports", Counter.class, new CounterImpl());
        assertThatThrownBy(() -> other.swap(SwapTarget.instance(noImports), SwapOptions.defaults()))
                .isInstanceOf(SwapException.class).hasMessageContaining("entry imports: importProtocols() of ")
                .hasMessageContaining("threw java.lang.UnsupportedOperationException: no import vector");
        assertThat(noImports.abandoned).isTrue();
        assertThat(other.snapshot().mode).isEqualTo(Mode.DIRECT);
        assertThat(counter.increment()).isEqualTo(2);
    }

    @Test
    void aParkWhoseExportVectorThrowsRollsBackAndTheOldInstanceServes() throws Exception {
        CounterImpl first = new CounterImpl() {
            @Override
            public long exportProtocols() {
                throw new IllegalStateException("no export vector");
            }
        };
        EntryImpl<Counter> entry = (EntryImpl<Counter>) table.register("park-vectors", Counter.class, first);
        Counter counter = entry.stub();
        counter.increment();
        SwapOptions options = SwapOptions.defaults().withMaxHold(Duration.ofSeconds(BOUND_SECONDS))
                .withQueueTimeout(Duration.ofMillis(200));

        for (int park = 1; park <= 2; park++) { // the second finds the permit free: it fails the same way, not queued
            assertThatThrownBy(() -> entry.park(options, "update", "provider gone")).isInstanceOf(SwapException.class)
                    .hasMessageContaining("phase TRANSFER: exportProtocols() of ")
                    .hasMessageContaining("threw java.lang.IllegalStateException: no export vector")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(entry.mediatorInProgress()).as("no mediator left in the entry").isNull();
            assertThat(threads.submit(counter::increment).get(BOUND_SECONDS, TimeUnit.SECONDS)).as("served by the old instance")
                    .isEqualTo(1 + park);
        }
        assertThat(entry.history()).hasSize(2).allSatisfy(r -> assertThat(r.outcome).isEqualTo(SwapOutcome.FAILED));
    }

    private static SwapPhase phase(Entry<?> e) {
        Mediator m = ((EntryImpl<?>) e).mediatorInProgress();
        return m == null ? null : m.phase();
    }

    private static SwapResult outcome(CompletableFuture<SwapResult> swap) throws InterruptedException {
        try {
            return swap.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((SwapException) e.getCause()).result();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("swap did not end", e);
        }
    }
}

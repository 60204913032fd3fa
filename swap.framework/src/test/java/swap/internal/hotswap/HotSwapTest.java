package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.fixture.CounterV2;
import swap.fixture.CounterWithoutState;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapPhase;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.interpose.wrappers.CallCounter;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.Mode;

class HotSwapTest {

    private static final long BOUND_SECONDS = 10;
    private static final SwapOptions QUICK = SwapOptions.defaults().withTimeout(Duration.ofMillis(200)).withTries(2)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final TableImpl table = new TableImpl();
    private final CounterImpl first = new CounterImpl();
    private final Entry<Counter> entry = table.register("counter", Counter.class, first);
    private final Counter counter = entry.stub();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void invariants() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("test threads ended").isTrue();
        Invariants.assertQuiescent(table);
    }

    @Test
    void aSwapMovesTheStateAndLaterCallsReachTheNewInstance() {
        counter.increment();
        counter.increment();
        CounterImpl second = new CounterImpl();

        SwapResult result = entry.swap(SwapTarget.instance(second), QUICK, "test");

        assertThat(result.outcome).isEqualTo(SwapOutcome.COMMITTED);
        assertThat(result.protocol).isZero();
        assertThat(result.tries).isEqualTo(1);
        assertThat(result.from).isEqualTo(CounterImpl.class.getName());
        assertThat(result.reason).isEqualTo("test");
        assertThat(counter.increment()).as("the state moved").isEqualTo(3);
        assertThat(counter.whoAmI()).isEqualTo(second.whoAmI());
        assertThat(first.swappedOut).as("the old instance was disposed of").isTrue();
        assertThat(first.count()).isEqualTo(2);
        assertThat(entry.history()).containsExactly(result);
        assertThat(table.history()).contains(result);
        assertThat(result.totalNanos).isPositive().isGreaterThanOrEqualTo(result.forwardNanos + result.blockedNanos);
    }

    @Test
    void theHighestCommonProtocolIsChosen() {
        entry.swap(SwapTarget.instance(new CounterV2()), QUICK);
        CounterV2 third = new CounterV2();
        SwapResult result = entry.swap(SwapTarget.instance(third), QUICK);
        assertThat(result.protocol).as("0b1001 & 0b1001: bit 3").isEqualTo(3);
        assertThat(third.importedWith).isEqualTo(3);
        SwapResult back = entry.swap(SwapTarget.instance(new CounterImpl()), QUICK);
        assertThat(back.protocol).as("0b1001 & 0b0001: the canonical format").isZero();
    }

    @Test
    void noCommonProtocolIsRefusedBeforeAnythingChanges() {
        CounterImpl mute = new CounterImpl() {
            @Override
            public long importProtocols() {
                return 0b100L;
            }
        };
        counter.increment();
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(mute), QUICK))
                .isInstanceOf(SwapException.class)
                .hasMessageContaining("no common state transfer protocol")
                .hasMessageContaining("exports 0x1 (bits 0)").hasMessageContaining("imports 0x4 (bits 2)");
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());
        assertThat(entry.history()).extracting(r -> r.outcome).containsExactly(SwapOutcome.REFUSED);
        assertThat(mute.abandoned).isTrue();
        assertThat(counter.increment()).isEqualTo(2);
    }

    @Test
    void componentsWithoutATransferContractSwapWithoutTransfer() {
        Entry<Counter> plain = table.register("plain", Counter.class, new CounterWithoutState());
        plain.stub().increment();
        SwapResult result = plain.swap(SwapTarget.fresh(), QUICK);
        assertThat(result.protocol).isEqualTo(-1);
        assertThat(plain.stub().get()).as("a fresh instance, nothing moved").isZero();
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(new CounterWithoutState()), QUICK))
                .isInstanceOf(SwapException.class).hasMessageContaining("cannot import state");
    }

    @Test
    void aNullSwapMakesAFreshInstanceFromTheFactoryOrTheConstructor() {
        counter.increment();
        SwapResult viaConstructor = entry.swap(SwapTarget.fresh(), QUICK, "null swap");
        assertThat(viaConstructor.to).isEqualTo(CounterImpl.class.getName());
        assertThat(counter.whoAmI()).isNotEqualTo(first.whoAmI());
        assertThat(counter.get()).isEqualTo(1);

        table.registerFactory("v2", Counter.class, CounterV2::new);
        Entry<Counter> made = table.create("made", Counter.class, "v2");
        made.stub().increment();
        SwapResult viaFactory = made.swap(SwapTarget.fresh(), QUICK);
        assertThat(viaFactory.to).isEqualTo(CounterV2.class.getName());
        assertThat(viaFactory.protocol).isEqualTo(3);
        assertThat(made.stub().get()).isEqualTo(1);
        assertThat(table.factories()).containsExactly("v2");
    }

    @Test
    void callsThatStartedBeforeTheSwapFinishOnTheOldInstanceAndNobodyWaitsInForward() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> early = threads.submit(() -> counter.hold(entered, release));
        assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<SwapResult> swap = entry.swapAsync(SwapTarget.instance(new CounterImpl()),
                QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS)), null).toCompletableFuture();
        awaitMode(Mode.SWAPPING);
        // Forward: a new call is tracked and goes to the old instance without waiting
        assertThat(threads.submit(counter::whoAmI).get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(first.whoAmI());
        assertThat(swap).isNotDone();
        release.countDown();
        assertThat(early.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        SwapResult result = swap.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(result.forwardNanos).as("Forward lasted until the early call left").isPositive();
        assertThat(counter.get()).isEqualTo(1);
    }

    @Test
    void blockedWaitsForTheCallsTrackedDuringForward() throws Exception {
        CountDownLatch earlyIn = new CountDownLatch(1);
        CountDownLatch earlyGo = new CountDownLatch(1);
        Future<Long> early = threads.submit(() -> counter.hold(earlyIn, earlyGo)); // untracked: keeps Forward
        assertThat(earlyIn.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<SwapResult> swap = entry.swapAsync(SwapTarget.instance(new CounterImpl()),
                QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS)), null).toCompletableFuture();
        Invariants.await("Forward", () -> phase() == SwapPhase.FORWARD);
        CountDownLatch trackedIn = new CountDownLatch(1);
        CountDownLatch trackedGo = new CountDownLatch(1);
        Future<Long> tracked = threads.submit(() -> counter.hold(trackedIn, trackedGo)); // tracked: on the old instance
        assertThat(trackedIn.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        earlyGo.countDown();
        assertThat(early.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        Invariants.await("Blocked", () -> phase() == SwapPhase.BLOCKED);
        assertThat(swap).as("Blocked waits for the tracked call").isNotDone();
        trackedGo.countDown();
        assertThat(tracked.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(swap.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
        assertThat(counter.get()).as("both increments moved to the new instance").isEqualTo(2);
    }

    private SwapPhase phase() {
        return phase(entry);
    }

    private static SwapPhase phase(Entry<?> e) {
        Mediator m = ((swap.internal.ott.EntryImpl<?>) e).mediatorInProgress();
        return m == null ? null : m.phase();
    }

    @Test
    void inBlockedNewCallsAreHeldAndReleasedToTheNewInstance() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finishExport = new CountDownLatch(1);
        CounterImpl slowExporter = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                exporting.countDown();
                finishExport.await(BOUND_SECONDS, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        };
        Entry<Counter> e = table.register("slow", Counter.class, slowExporter);
        Counter c = e.stub();
        CounterImpl next = new CounterImpl();
        CompletableFuture<SwapResult> swap = e.swapAsync(SwapTarget.instance(next),
                QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS)), null).toCompletableFuture();
        assertThat(exporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue(); // Transfer: nothing inside, calls held
        Future<String> held = threads.submit(c::whoAmI);
        awaitHeld(e, 1);
        assertThat(held).isNotDone();
        finishExport.countDown();
        assertThat(held.get(BOUND_SECONDS, TimeUnit.SECONDS)).as("released to the new instance").isEqualTo(next.whoAmI());
        SwapResult result = swap.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(result.callsHeld).isEqualTo(1);
        assertThat(result.maxHoldNanos).isPositive();
        entered.countDown();
        release.countDown();
    }

    @Test
    void aTrackedCallThatRecursesDirectlyPassesTheBlockedPhase() throws Exception {
        recursionInBlocked(false);
    }

    @Test
    void aTrackedCallThatRecursesThroughAnotherComponentPassesTheBlockedPhase() throws Exception {
        recursionInBlocked(true);
    }

    /**
     * Property: in Blocked, a call from a thread already inside the entry (here a call tracked in
     * Forward, which the swapper waits for) passes to the old instance instead of being held, so
     * the swap commits in its first try with no call held. Were it held, the swap would wait for
     * the outer call, the outer call for the held one, until the try timed out.
     */
    private void recursionInBlocked(boolean throughPeer) throws Exception {
        CountDownLatch trackedIn = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Counter> peer = new AtomicReference<>();
        CounterImpl recursive = new CounterImpl() {
            @Override
            public long nest(Counter self, int depth) {
                if (depth != 3) {
                    return super.nest(self, depth);
                }
                trackedIn.countDown(); // the outermost call: tracked, since it entered in Forward
                try {
                    assertThat(go.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Counter via = throughPeer ? peer.get() : self;
                via.nest(self, 2); // through the stub: the mediator sees a thread already inside
                return count.incrementAndGet();
            }
        };
        // the other component: calls back into the first one, through its stub
        CounterImpl relay = new CounterImpl() {
            @Override
            public long nest(Counter target, int depth) {
                return target.nest(target, depth - 1);
            }
        };
        peer.set(table.register("relay", Counter.class, relay).stub());
        Entry<Counter> e = table.register("recursive", Counter.class, recursive);
        Counter c = e.stub();
        CountDownLatch earlyIn = new CountDownLatch(1);
        CountDownLatch earlyGo = new CountDownLatch(1);
        Future<Long> early = threads.submit(() -> c.hold(earlyIn, earlyGo)); // untracked: keeps the swap in Forward
        assertThat(earlyIn.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<SwapResult> swap = e.swapAsync(SwapTarget.instance(new CounterImpl()),
                QUICK.withTimeout(Duration.ofSeconds(2)).withTries(1), null).toCompletableFuture();
        Invariants.await("Forward", () -> phase(e) == SwapPhase.FORWARD);
        Future<Long> call = threads.submit(() -> c.nest(c, 3));
        assertThat(trackedIn.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        earlyGo.countDown();
        assertThat(early.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        Invariants.await("Blocked", () -> phase(e) == SwapPhase.BLOCKED);

        go.countDown(); // the nested calls reach the mediator in Blocked

        long increments = throughPeer ? 3 : 4; // the relay's own frame counts nothing
        assertThat(call.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1 + increments);
        SwapResult result = swap.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertThat(result.committed()).as("committed: %s", result).isTrue();
        assertThat(result.tries).isEqualTo(1);
        assertThat(result.callsHeld).as("the recursive calls were not held").isZero();
        assertThat(result.blockedNanos).as("Blocked lasted until the outer call left").isPositive();
        assertThat(c.get()).as("every increment moved to the new instance").isEqualTo(1 + increments);
        assertThat(recursive.inside.get()).isZero();
    }

    @Test
    void aCallThatNeverEndsMakesEveryTryTimeOutAndRollBack() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> stuck = threads.submit(() -> counter.hold(entered, release));
        assertThat(entered.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CounterImpl second = new CounterImpl();

        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(second), QUICK))
                .isInstanceOf(SwapException.class)
                .hasMessageContaining("failed")
                .hasMessageContaining("phase FORWARD: 1 call of counter still in progress: ")
                .hasMessageContaining("2 tries");
        SwapResult result = entry.history().get(0);
        assertThat(result.outcome).isEqualTo(SwapOutcome.FAILED);
        assertThat(result.phase).isEqualTo(SwapPhase.FORWARD);
        assertThat(second.abandoned).isTrue();
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());
        release.countDown();
        assertThat(stuck.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(entry.swap(SwapTarget.instance(new CounterImpl()), QUICK).committed()).as("and it works later").isTrue();
        assertThat(counter.get()).isEqualTo(1);
    }

    @Test
    void retriesBackOffDoublingUpToTheMaximum() {
        java.util.List<Long> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.registerFactory("never", Counter.class, () -> {
            attempts.add(System.nanoTime());
            throw new IllegalStateException("cannot make one");
        });
        SwapOptions options = QUICK.withTries(5).withBackoff(Duration.ofMillis(20), Duration.ofMillis(50));

        assertThatThrownBy(() -> entry.swap(SwapTarget.factory("never"), options)).isInstanceOf(SwapException.class)
                .hasMessageContaining("5 tries").hasMessageContaining("phase CREATE");

        assertThat(attempts).hasSize(5);
        long[] pauses = new long[4];
        for (int i = 0; i < pauses.length; i++) {
            pauses[i] = TimeUnit.NANOSECONDS.toMillis(attempts.get(i + 1) - attempts.get(i));
        }
        // 20, 40, then 50 twice (the maximum; uncapped, the last would be 160): each at least that long
        assertThat(pauses[0]).as("first back-off").isGreaterThanOrEqualTo(20);
        assertThat(pauses[1]).as("second back-off, doubled").isGreaterThanOrEqualTo(40);
        assertThat(pauses[2]).as("third back-off, at the maximum").isGreaterThanOrEqualTo(50);
        assertThat(pauses[3]).as("fourth back-off, still at the maximum").isBetween(50L, 150L);
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());
    }

    @Test
    void failuresInCreationExportOrImportRollBackAndRetry() {
        counter.increment();
        table.registerFactory("broken", Counter.class, () -> {
            throw new IllegalStateException("cannot make");
        });
        assertThatThrownBy(() -> entry.swap(SwapTarget.factory("broken"), QUICK))
                .isInstanceOf(SwapException.class).hasMessageContaining("phase CREATE: making the replacement threw")
                .hasCauseInstanceOf(IllegalStateException.class);

        CounterImpl failingImport = new CounterImpl() {
            @Override
            public void importState(int protocol, Object state) {
                throw new OutOfMemoryError("simulated");
            }
        };
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(failingImport), QUICK))
                .isInstanceOf(SwapException.class)
                .hasMessageContaining("phase TRANSFER: importState (protocol 0) threw java.lang.OutOfMemoryError: simulated")
                .hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(failingImport.abandoned).isTrue();

        int[] exports = {0};
        CounterImpl flaky = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                if (exports[0]++ == 0) {
                    throw new java.io.IOException("first export fails");
                }
                return super.exportState(protocol);
            }
        };
        entry.swap(SwapTarget.instance(flaky), QUICK);
        SwapResult retried = entry.swap(SwapTarget.instance(new CounterImpl()), QUICK);
        assertThat(retried.tries).as("the second try succeeded").isEqualTo(2);
        assertThat(counter.get()).as("no state lost by failed tries").isEqualTo(1);
        assertThat(counter.whoAmI()).isNotEqualTo(flaky.whoAmI());
    }

    @Test
    void aSecondRequestIsQueuedBehindTheFirst() throws Exception {
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CounterImpl slow = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                exporting.countDown();
                finish.await(BOUND_SECONDS, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        };
        entry.swap(SwapTarget.instance(slow), QUICK);
        SwapOptions patient = QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS));
        CompletableFuture<SwapResult> firstSwap = entry.swapAsync(SwapTarget.instance(new CounterImpl()), patient, "first").toCompletableFuture();
        assertThat(exporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<SwapResult> second = entry.swapAsync(SwapTarget.instance(new CounterImpl()), patient, "second")
                .toCompletableFuture();
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(new CounterImpl()), QUICK.withQueueTimeout(Duration.ofMillis(20))))
                .isInstanceOf(SwapException.class).hasMessageContaining("another swap has been in progress for 20 ms");
        assertThat(second).isNotDone();
        finish.countDown();
        assertThat(firstSwap.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
        assertThat(second.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
        assertThat(entry.history()).extracting(r -> r.reason).endsWith("first", "second");
    }

    @Test
    void swapsOfDifferentEntriesRunInParallel() throws Exception {
        CountDownLatch bothExporting = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        class Slow extends CounterImpl {
            @Override
            public Object exportState(int protocol) throws Exception {
                bothExporting.countDown();
                finish.await(BOUND_SECONDS, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        }
        Entry<Counter> a = table.register("a", Counter.class, new Slow());
        Entry<Counter> b = table.register("b", Counter.class, new Slow());
        SwapOptions patient = QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS));
        CompletableFuture<SwapResult> sa = a.swapAsync(SwapTarget.instance(new CounterImpl()), patient, null).toCompletableFuture();
        CompletableFuture<SwapResult> sb = b.swapAsync(SwapTarget.instance(new CounterImpl()), patient, null).toCompletableFuture();
        assertThat(bothExporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("both in Transfer at once").isTrue();
        finish.countDown();
        assertThat(sa.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
        assertThat(sb.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
    }

    @Test
    void anInterruptedHeldCallerKeepsItsInterruptAndItsCall() throws Exception {
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CounterImpl slow = new CounterImpl() {
            @Override
            public Object exportState(int protocol) throws Exception {
                exporting.countDown();
                finish.await(BOUND_SECONDS, TimeUnit.SECONDS);
                return super.exportState(protocol);
            }
        };
        Entry<Counter> e = table.register("interrupted", Counter.class, slow);
        Counter c = e.stub();
        CompletableFuture<SwapResult> swap = e.swapAsync(SwapTarget.instance(new CounterImpl()),
                QUICK.withTimeout(Duration.ofSeconds(BOUND_SECONDS)), null).toCompletableFuture();
        assertThat(exporting.await(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            long n = c.increment();
            interruptKept.complete(n == 1 && Thread.currentThread().isInterrupted());
        });
        caller.start();
        awaitHeld(e, 1);
        caller.interrupt();
        finish.countDown();
        assertThat(interruptKept.get(BOUND_SECONDS, TimeUnit.SECONDS)).as("the call completed and the interrupt is kept").isTrue();
        caller.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(swap.get(BOUND_SECONDS, TimeUnit.SECONDS).committed()).isTrue();
    }

    @Test
    void wrappersStayAttachedAcrossASwap() {
        CallCounter calls = new CallCounter();
        entry.attach(calls);
        counter.increment();
        entry.swap(SwapTarget.fresh(), QUICK);
        counter.increment();
        assertThat(calls.calls()).isEqualTo(2);
        assertThat(entry.snapshot().mode).isEqualTo(Mode.INTERPOSED);
        assertThat(counter.get()).isEqualTo(2);
    }

    @Test
    void badRequestsNameTheFaultAndLeaveTheEntryUntouched() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SwapTarget<Counter> wrongType = (SwapTarget) SwapTarget.instance("not a counter");
        assertThatIllegalArgumentException().isThrownBy(() -> entry.swap(wrongType, QUICK))
                .withMessage("entry counter: java.lang.String does not implement swap.fixture.Counter");
        assertThatIllegalArgumentException().isThrownBy(() -> entry.swap(SwapTarget.factory("nosuch"), QUICK))
                .withMessage("no factory named nosuch (registered: [])");
        assertThatIllegalArgumentException().isThrownBy(() -> QUICK.withTimeout(Duration.ofMillis(-1)))
                .withMessage("timeout must be positive, was PT-0.001S");
        assertThatIllegalArgumentException().isThrownBy(() -> QUICK.withTries(0))
                .withMessage("tries must be at least 1, was 0");
        Entry<Counter> gone = table.register("gone", Counter.class, new CounterImpl());
        gone.remove();
        assertThatIllegalStateException().isThrownBy(() -> gone.swap(SwapTarget.fresh(), QUICK))
                .withMessage("entry gone was removed; cannot swap it");
        assertThat(counter.whoAmI()).isEqualTo(first.whoAmI());
        assertThat(entry.history()).isEmpty();
    }

    private void awaitMode(Mode mode) {
        awaitMode(entry, mode);
    }

    private static void awaitMode(Entry<?> e, Mode mode) {
        Invariants.await("mode " + mode + " of " + e.id(), () -> e.snapshot().mode == mode);
    }

    private static void awaitHeld(Entry<?> e, int calls) {
        Invariants.await(calls + " calls held by the swap of " + e.id(), () -> Invariants.held(e) >= calls);
    }

}

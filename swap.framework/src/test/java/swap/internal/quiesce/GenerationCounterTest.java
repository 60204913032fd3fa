package swap.internal.quiesce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GenerationCounterTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final CallStacks stacks = new CallStacks();
    private final GenerationCounter counter = stacks.newCounter("c");
    private Thread holder;
    private volatile CallStack holderStack;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @AfterEach
    void joinHolder() throws InterruptedException {
        release.countDown();
        if (holder != null) {
            holder.join(BOUND.toMillis());
            assertThat(holder.isAlive()).as("holder thread ended").isFalse();
        }
        assertThat(failure.get()).isNull();
        assertThat(counter.inProgress()).as("calls still in progress through the counter").isZero();
    }

    @Test
    void inProgressCountsTheCallsInsideOnEveryThreadWithoutFlipping() throws InterruptedException {
        holdCallOnAnotherThread(2);
        CallStack mine = counter.enter();
        try {
            assertThat(counter.inProgress()).isEqualTo(3);
        } finally {
            mine.exit();
        }
        assertThat(counter.inProgress()).isEqualTo(2);
        assertThat(counter.generation()).as("not flipped").isZero();
        release.countDown();
        holder.join(BOUND.toMillis());
        assertThat(counter.inProgress()).isZero();
    }

    /** Starts a thread that enters {@code times} nested calls and stays inside until released. */
    private void holdCallOnAnotherThread(int times) throws InterruptedException {
        holder = new Thread(() -> {
            try {
                CallStack[] frames = new CallStack[times];
                for (int i = 0; i < times; i++) {
                    frames[i] = counter.enter();
                }
                holderStack = frames[0];
                entered.countDown();
                release.await();
                for (int i = times - 1; i >= 0; i--) {
                    frames[i].exit();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "holder");
        holder.start();
        assertThat(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFlipWithNoCallInProgressIsCompleteAtOnce() {
        CallStack s = counter.enter();
        s.exit();
        Drain drain = counter.flip();
        assertThat(drain.isComplete()).isTrue();
        assertThat(drain.describe()).isEqualTo("no call of c in progress");
        assertThat(counter.generation()).isEqualTo(1);
    }

    @Test
    void aFlipWaitsForACallThatEnteredBeforeIt() throws InterruptedException {
        holdCallOnAnotherThread(1);
        Drain drain = counter.flip();
        assertThat(drain.isComplete()).isFalse();
        assertThat(drain.await(Duration.ofMillis(20))).as("still inside").isFalse();
        assertThat(drain.describe()).isEqualTo("1 call of c still in progress: holder (depth 1)");
        release.countDown();
        assertThat(drain.await(BOUND)).isTrue();
        assertThat(drain.remaining()).isZero();
    }

    @Test
    void aDrainsWaiterParksUntilTheLastOldCallOnTheThreadWakesIt() throws Exception {
        holdCallOnAnotherThread(3);
        Drain drain = counter.flip();
        AtomicReference<Boolean> completed = new AtomicReference<>();
        Thread waiter = waitOn(drain, completed);
        // after its short spin it waits parked on the drain, registered with the holder's stack
        await("the waiter parked on the drain").atMost(BOUND).until(() -> LockSupport.getBlocker(waiter) == drain && holderStack.hasWaiter());
        assertThat(waiter.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
        release.countDown();
        waiter.join(BOUND.toMillis());
        assertThat(waiter.isAlive()).isFalse();
        assertThat(completed.get()).isTrue();
        assertThat(holderStack.hasWaiter()).as("the registration is given back").isFalse();
    }

    @Test
    void twoDrainsWaitingOnOneThreadBothComplete() throws Exception {
        holdCallOnAnotherThread(1);
        GenerationCounter other = stacks.newCounter("d");
        Drain first = counter.flip();
        Drain second = counter.flip(); // the same call again: the stack has one registration slot
        AtomicReference<Boolean> firstDone = new AtomicReference<>();
        AtomicReference<Boolean> secondDone = new AtomicReference<>();
        Thread a = waitOn(first, firstDone);
        Thread b = waitOn(second, secondDone);
        await("both waiters parked").atMost(BOUND).until(() -> LockSupport.getBlocker(a) == first && LockSupport.getBlocker(b) == second);
        release.countDown();
        a.join(BOUND.toMillis());
        b.join(BOUND.toMillis());
        assertThat(firstDone.get()).isTrue();
        assertThat(secondDone.get()).isTrue();
        assertThat(holderStack.hasWaiter()).isFalse();
        assertThat(other.flip().isComplete()).isTrue();
    }

    private Thread waitOn(Drain drain, AtomicReference<Boolean> done) {
        Thread t = new Thread(() -> {
            try {
                done.set(drain.await(BOUND));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void nestedCallsAreAllWaitedFor() throws InterruptedException {
        holdCallOnAnotherThread(3);
        Drain drain = counter.flip();
        assertThat(drain.remaining()).isEqualTo(3);
        release.countDown();
        assertThat(drain.await(BOUND)).isTrue();
    }

    @Test
    void callsThatEnterAfterTheFlipAreNotWaitedFor() throws InterruptedException {
        Drain drain = counter.flip();
        holdCallOnAnotherThread(1);
        assertThat(drain.isComplete()).isTrue();
        assertThat(counter.flip().isComplete()).as("a later flip does wait for it").isFalse();
    }

    @Test
    void aCallOfAnotherCounterDoesNotDelayAFlip() throws InterruptedException {
        GenerationCounter other = stacks.newCounter("other");
        CallStack s = other.enter();
        try {
            assertThat(counter.flip().isComplete()).isTrue();
            assertThat(other.flip().isComplete()).isFalse();
        } finally {
            s.exit();
        }
    }

    @Test
    void aThreadKnowsWhetherItIsAlreadyInside() {
        CallStack outer = counter.enter();
        assertThat(outer.isInside(counter)).isTrue();
        assertThat(outer.isReentry(counter)).as("the innermost call is the only one").isFalse();
        CallStack inner = counter.enter();
        assertThat(inner.isReentry(counter)).isTrue();
        inner.exit();
        outer.exit();
        assertThat(stacks.current().isInside(counter)).isFalse();
    }

    @Test
    void aThreadNestedAcrossDomainsKeepsOneStackPerDomain() {
        CallStacks other = new CallStacks(stacks.mode());
        GenerationCounter b = other.newCounter("b");
        CallStack outerA = counter.enter();
        CallStack inB = b.enter();
        CallStack innerA = counter.enter(); // back in the first domain, inside b
        assertThat(innerA).isSameAs(outerA);
        assertThat(innerA.isReentry(counter)).as("still sees the outer call").isTrue();
        assertThat(counter.flip().remaining()).isEqualTo(2);
        assertThat(b.flip().remaining()).isEqualTo(1);
        innerA.exit();
        inB.exit();
        outerA.exit();
        assertThat(stacks.threads()).isEqualTo(1);
        assertThat(other.threads()).isEqualTo(1);
    }

    @Test
    void callsAreCountedAcrossThreads() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            counter.enter().exit();
        }
        holdCallOnAnotherThread(2);
        assertThat(counter.calls()).isEqualTo(7);
    }

    @Test
    void misuseFailsFast() throws InterruptedException {
        CallStack mine = stacks.current();
        assertThatIllegalStateException().isThrownBy(mine::exit).withMessageStartingWith("exit without a call in progress");
        CallStack s = counter.enter();
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                s.exit();
            } catch (Throwable t) {
                fromOther.set(t);
            }
        }, "other");
        other.start();
        other.join(BOUND.toMillis());
        assertThat(fromOther.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("exit on other of a call entered on ");
        s.exit();
    }

    @Test
    void deepNestingGrowsTheStack() {
        CallStack[] frames = new CallStack[100];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = counter.enter();
        }
        assertThat(stacks.current().depth()).isEqualTo(100);
        for (int i = frames.length - 1; i >= 0; i--) {
            frames[i].exit();
        }
        assertThat(stacks.current().depth()).isZero();
        assertThat(counter.calls()).isEqualTo(100);
    }

    @Test
    void anInterruptedAwaitSaysSoAndLeavesTheDrainUsable() throws InterruptedException {
        holdCallOnAnotherThread(1);
        Drain drain = counter.flip();
        Thread.currentThread().interrupt();
        org.assertj.core.api.Assertions.assertThatExceptionOfType(InterruptedException.class)
                .isThrownBy(() -> drain.await(BOUND)).withMessage("interrupted while draining c");
        release.countDown();
        assertThat(drain.await(BOUND)).isTrue();
    }
}

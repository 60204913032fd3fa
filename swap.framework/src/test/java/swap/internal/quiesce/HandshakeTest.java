package swap.internal.quiesce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Handshake fences ({@link Fences.Mode#HANDSHAKE}): when a flip does without {@code membarrier}
 * and when it must not. Their memory ordering is checked on real hardware by jcstress
 * ({@code swap.jcstress}: {@code FlipSeesEarlierCall.Handshake} and
 * {@code HandshakeSeesEarlierCall}); here, the choice between the two paths and the drains it
 * leads to.
 */
class HandshakeTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private CallStacks stacks;
    private GenerationCounter counter;

    @BeforeEach
    void domain() {
        assumeTrue(Fences.asymmetricAvailable(), "membarrier is not available here");
        stacks = new CallStacks(Fences.Mode.HANDSHAKE);
        counter = stacks.newCounter("h");
    }

    @Test
    void aFlipNeedsNoAcknowledgementFromItselfOrFromADeadThread() throws InterruptedException {
        counter.enter().exit(); // the flipper's own stack
        Thread dead = new Thread(() -> counter.enter().exit(), "dead");
        dead.start();
        dead.join(BOUND.toMillis());
        assertThat(dead.isAlive()).isFalse();
        assertThat(stacks.threads()).isEqualTo(2);

        assertThat(counter.flip().isComplete()).isTrue();

        assertThat(stacks.handshakesAcknowledged()).isEqualTo(1);
        assertThat(stacks.handshakesFellBack()).isZero();
    }

    @Test
    void aParkedThreadIsNotWaitedForTheFlipRunsMembarrierAndItsCallIsStillWaitedFor() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            CallStack s = counter.enter();
            try {
                entered.countDown();
                release.await(BOUND.toSeconds(), TimeUnit.SECONDS); // inside, making no further call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                s.exit();
            }
        }, "holder");
        holder.start();
        try {
            assertThat(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(counter.flip(false)).as("without fallback: the handshake alone is not enough").isNull();
            Drain drain = counter.flip();

            assertThat(stacks.handshakesFellBack()).isEqualTo(2);
            assertThat(stacks.handshakesAcknowledged()).isZero();
            assertThat(drain.describe()).isEqualTo("1 call of h still in progress: holder (depth 1)");
            release.countDown();
            assertThat(drain.await(BOUND)).isTrue();
        } finally {
            release.countDown();
            holder.join(BOUND.toMillis());
        }
        assertThat(counter.callers()).as("no handshake left in progress").isEqualTo(GenerationCounter.UNFENCED);
    }

    @Test
    void aRunningThreadThatCallsOnlyThroughAnotherCounterIsWaitedForBrieflyAndThenMembarrierRuns() throws Exception {
        GenerationCounter other = stacks.newCounter("other");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        Thread caller = new Thread(() -> {
            while (!stop.get()) {
                other.enter().exit();
                calls.incrementAndGet();
            }
        }, "other-caller");
        caller.start();
        try {
            awaitCalls(calls, 1_000);
            long start = System.nanoTime();
            Drain drain = counter.flip();
            long took = System.nanoTime() - start;

            assertThat(drain.isComplete()).isTrue();
            assertThat(stacks.handshakesFellBack()).isEqualTo(1);
            assertThat(took).as("the flip spun for the acknowledgement before it gave up").isGreaterThanOrEqualTo(
                    CallStacks.HANDSHAKE_SPIN_NANOS);
        } finally {
            stop.set(true);
            caller.join(BOUND.toMillis());
        }
    }

    @Test
    void aThreadThatKeepsCallingAcknowledgesAndEveryCallBeforeTheFlipIsWaitedFor() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong retiredVersionSeenInside = new AtomicLong();
        VersionBox box = new VersionBox();
        Thread caller = new Thread(() -> {
            while (!stop.get()) {
                CallStack s = counter.enter();
                try {
                    long v = box.version;
                    if (box.retired >= v) {
                        retiredVersionSeenInside.incrementAndGet();
                    }
                    calls.incrementAndGet();
                } finally {
                    s.exit();
                }
            }
        }, "caller");
        caller.start();
        // until the caller's path is compiled, a call can take longer than the flipper's spin
        long wanted = 200;
        long flips = 0;
        long deadline = System.nanoTime() + BOUND.toNanos();
        try {
            awaitCalls(calls, 10_000);
            while (stacks.handshakesAcknowledged() < wanted && System.nanoTime() - deadline < 0) {
                long old = box.version;
                box.version = old + 1;
                Drain drain = counter.flip();
                flips++;
                assertThat(drain.await(BOUND)).isTrue();
                box.retired = old;
            }
        } finally {
            stop.set(true);
            caller.join(BOUND.toMillis());
        }

        assertThat(stacks.handshakesAcknowledged() + stacks.handshakesFellBack()).isEqualTo(flips);
        assertThat(stacks.handshakesAcknowledged()).as("flips acknowledged by the calling thread within %s, of %d (%d calls made)",
                BOUND, flips, calls.get()).isEqualTo(wanted);
        assertThat(retiredVersionSeenInside.get()).as("calls inside a version after it was retired").isZero();
        assertThat(counter.callers()).isEqualTo(GenerationCounter.UNFENCED);
    }

    /** Waits (bounded) until another thread has made {@code n} calls. */
    private static void awaitCalls(AtomicLong calls, long n) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (calls.get() < n) {
            assertThat(System.nanoTime() - deadline).as("%d calls within %s", n, BOUND).isNegative();
            Thread.onSpinWait();
        }
    }

    /** The version a call reads after entering, and the newest version retired (its drain complete). */
    private static final class VersionBox {
        volatile long version;
        volatile long retired = -1;
    }
}

package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final Deadlines deadlines = Deadlines.ticking("deadlines-test");

    @Test
    void anAlarmFiresOnceAfterItsDelayAndNotMuchLater() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        long start = System.nanoTime();
        long[] at = new long[1];
        deadlines.schedule(() -> {
            at[0] = System.nanoTime();
            runs.incrementAndGet();
            fired.countDown();
        }, TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(at[0] - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        // let it tick a few more times: it must not fire again
        assertThat(awaitThread(false, 3 * Deadlines.Ticking.LINGER_MILLIS)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aCancelledAlarmNeverFires() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        Deadlines.Alarm alarm = deadlines.schedule(runs::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(20));
        alarm.cancel();
        alarm.cancel(); // idempotent
        CountDownLatch later = new CountDownLatch(1);
        deadlines.schedule(later::countDown, TimeUnit.MILLISECONDS.toNanos(60)); // fires after the first one's due time
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(0);
    }

    @Test
    void theThreadEndsWhenIdleAndAnotherStartsForTheNextAlarm() throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        deadlines.schedule(first::countDown, 0);
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(awaitThread(false, 3 * Deadlines.Ticking.LINGER_MILLIS)).as("thread ends when idle").isTrue();
        CountDownLatch second = new CountDownLatch(1);
        deadlines.schedule(second::countDown, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aThrowingActionDoesNotStopLaterAlarms() throws InterruptedException {
        deadlines.schedule(() -> {
            throw new IllegalStateException("expected by the test");
        }, 0);
        CountDownLatch next = new CountDownLatch(1);
        deadlines.schedule(next::countDown, TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Waits (bounded) until a thread named deadlines-test is alive, or not. */
    private static boolean awaitThread(boolean alive, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - end < 0) {
            boolean found = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("deadlines-test"));
            if (found == alive) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return false;
    }
}

package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import swap.internal.ott.EntryImpl;
import swap.internal.quiesce.Drain;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.Mode;

/** The framework's invariants after a test, and bounded waits for the tests' conditions. */
final class Invariants {

    static final Duration BOUND = Duration.ofSeconds(10);

    private Invariants() {
    }

    /**
     * No entry is left mediated, no call is in progress through any entry's generation counter
     * (every count is back at zero), the calling thread is inside no call, and no thread is parked
     * in the framework (held by a mediator, waiting for a drain or for tracked calls, or backing
     * off): the calls and waits of the test are all over. Waits, bounded, for threads that are
     * still on their way out.
     */
    static void assertQuiescent(TableImpl table) {
        for (EntryDTO dto : table.list()) {
            assertThat(dto.mode).as("mode of %s", dto.id).isNotEqualTo(Mode.SWAPPING);
            EntryImpl<?> e = table.entry(dto.id).orElseThrow();
            assertThat(e.mediatorInProgress()).as("mediator of %s", dto.id).isNull();
            if (!e.isRemoved()) {
                await("the calls through " + dto.id + " to end", () -> e.counter().inProgress() == 0);
            }
        }
        assertThat(table.stacks().current().depth()).as("calls in progress on the test thread").isZero();
        assertNoThreadParkedInTheFramework();
    }

    /** No live thread is parked on a mediator, a drain or a swapper (the framework's waits). */
    static void assertNoThreadParkedInTheFramework() {
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<String> parked;
        while (!(parked = parkedInTheFramework()).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("threads still parked in the framework after " + BOUND.toSeconds() + " s: " + parked);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static List<String> parkedInTheFramework() {
        List<String> parked = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            Object blocker = LockSupport.getBlocker(t);
            if (blocker instanceof Mediator || blocker instanceof Drain || blocker instanceof Swapper) {
                parked.add(t.getName() + " on " + blocker);
            }
        }
        return parked;
    }

    /** Calls held now by the swap of {@code entry}. */
    static int held(Entry<?> entry) {
        Mediator m = ((EntryImpl<?>) entry).mediatorInProgress();
        return m == null ? 0 : m.heldNow();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + BOUND.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}

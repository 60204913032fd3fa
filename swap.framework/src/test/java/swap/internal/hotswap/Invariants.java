package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.Mode;

/** The framework's invariants after a test, and bounded waits for the tests' conditions. */
final class Invariants {

    static final Duration BOUND = Duration.ofSeconds(10);

    private Invariants() {
    }

    /** No entry is left mediated, no call is held, and the calling thread is inside no call. */
    static void assertQuiescent(TableImpl table) {
        for (EntryDTO dto : table.list()) {
            assertThat(dto.mode).as("mode of %s", dto.id).isNotEqualTo(Mode.SWAPPING);
            EntryImpl<?> e = table.entry(dto.id).orElseThrow();
            assertThat(e.mediatorInProgress()).as("mediator of %s", dto.id).isNull();
        }
        assertThat(table.stacks().current().depth()).as("calls in progress on the test thread").isZero();
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

package swap.internal.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapTarget;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.Entry;

/**
 * Model-checked (Lincheck explores thread interleavings through every phase of the mediator,
 * the rollback included): with swaps going on, some of them failing in importState and rolled
 * back, a counter reached through its stub behaves as one sequential counter: every increment
 * is counted once, none is lost in a transfer or a rollback, and reads never go back. Swaps are
 * null swaps that move the state (transfers run inline, so the whole swap is in the model).
 * {@link NegativeControl} checks that the same budget finds a swap that moves a stale state.
 */
public class MediatorLincheckTest {

    private static final SwapOptions OPTIONS = SwapOptions.defaults().withTimeout(Duration.ofSeconds(30)).withTries(1);

    /*
     * Portable fences: the model checker explores interleavings under sequential consistency, where
     * the fence modes are one protocol, and a handshake's bounded spin reads the clock, which it
     * cannot replay (see GenerationCounterLincheckNegativeControlTest).
     */
    final TableImpl table = new TableImpl(type -> null, Fences.Mode.PORTABLE, Runnable::run, Deadlines.never());
    final Entry<Counter> entry = table.register("lincheck", Counter.class, new CounterImpl());
    final Counter counter = entry.stub();

    @Operation
    public long increment() {
        return counter.increment();
    }

    @Operation
    public long get() {
        return counter.get();
    }

    @Operation
    public void swap() {
        entry.swap(SwapTarget.instance(new CounterImpl()), OPTIONS);
    }

    /** A swap whose replacement fails in importState, after the old instance exported: rolled back. */
    @Operation
    public void failedSwap() {
        CounterImpl failing = new CounterImpl() {
            @Override
            public void importState(int protocol, Object state) {
                throw new IllegalStateException("import refused");
            }
        };
        try {
            entry.swap(SwapTarget.instance(failing), OPTIONS);
            throw new AssertionError("a failing import committed");
        } catch (SwapException e) {
            if (e.result() == null || e.result().outcome != SwapOutcome.FAILED) {
                throw new AssertionError("not a failed swap: " + e, e);
            }
        }
    }

    /** The sequential specification: a plain counter; a swap, failed or not, changes nothing a caller can see. */
    public static class Sequential {
        private long count;

        public long increment() {
            return ++count;
        }

        public long get() {
            return count;
        }

        public void swap() {
        }

        public void failedSwap() {
        }
    }

    @Test
    public void swapsAndRollbacksAreInvisibleToCallers() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(0)
                .actorsAfter(1)
                .sequentialSpecification(Sequential.class);
        LinChecker.check(MediatorLincheckTest.class, options);
    }

    /**
     * The same check against a swap that takes the state to move before the entry is quiescent
     * (a snapshot read through the stub, then imported by the replacement) must fail: an
     * increment between the snapshot and the swap is lost, and the model checker finds it.
     */
    public static class NegativeControl {
        final TableImpl table = new TableImpl(type -> null, Fences.Mode.PORTABLE, Runnable::run, Deadlines.never());
        final Entry<Counter> entry = table.register("control", Counter.class, new CounterImpl());
        final Counter counter = entry.stub();

        @Operation
        public long increment() {
            return counter.increment();
        }

        @Operation
        public long get() {
            return counter.get();
        }

        @Operation
        public void swap() {
            long snapshot = counter.get(); // the bug under control: the state is read before quiescence
            entry.swap(SwapTarget.instance(new CounterImpl() {
                @Override
                public void importState(int protocol, Object state) {
                    count.set(snapshot);
                }
            }), OPTIONS);
        }
    }

    @Test
    public void theModelCheckerFindsASwapThatMovesAStaleState() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(1)
                .actorsBefore(0)
                .actorsAfter(1)
                .sequentialSpecification(Sequential.class);
        Throwable found = org.assertj.core.api.Assertions.catchThrowable(() -> LinChecker.check(NegativeControl.class, options));
        assertThat(found).isInstanceOf(AssertionError.class).hasMessageContaining("Invalid execution results");
    }
}

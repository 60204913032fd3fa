package swap.internal.hotswap;

import java.time.Duration;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import swap.fixture.Counter;
import swap.fixture.CounterImpl;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapTarget;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.Entry;

/**
 * Model-checked (Lincheck explores thread interleavings through every phase of the mediator):
 * with swaps going on, a counter reached through its stub behaves as one sequential counter:
 * every increment is counted once, none is lost in a transfer, and reads never go back. Swaps are
 * null swaps that move the state (transfers run inline, so the whole swap is in the model).
 */
public class MediatorLincheckTest {

    private static final SwapOptions OPTIONS = SwapOptions.defaults().withTimeout(Duration.ofSeconds(30)).withTries(1);

    private final TableImpl table = new TableImpl(type -> null, Fences.Mode.PORTABLE, Runnable::run, Deadlines.never());
    private final Entry<Counter> entry = table.register("lincheck", Counter.class, new CounterImpl());
    private final Counter counter = entry.stub();

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

    /** The sequential specification: a plain counter; a swap changes nothing a caller can see. */
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
    }

    @Test
    public void swapsAreInvisibleToCallers() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(1)
                .actorsBefore(0)
                .actorsAfter(1)
                .sequentialSpecification(Sequential.class);
        LinChecker.check(MediatorLincheckTest.class, options);
    }
}

package swap.internal.quiesce;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Negative control for {@link GenerationCounterLincheckTest}: the same check against a swapper
 * that retires the old version without waiting for the drain must fail, showing that the model
 * checker's budget finds the interleaving that breaks the property.
 */
public class GenerationCounterLincheckNegativeControlTest {

    /*
     * Portable fences: the model checker explores interleavings under sequential consistency, where
     * the fence modes are one protocol; and a handshake's bounded spin reads the clock, which it
     * cannot replay. The modes' memory ordering is checked by jcstress (swap.jcstress) and by
     * GenerationCounterStressTest, in every mode.
     */
    private final CallStacks stacks = new CallStacks(Fences.Mode.PORTABLE);
    private final GenerationCounter counter = stacks.newCounter("control");
    private volatile int version;
    private volatile int retired = -1;

    @Operation
    public boolean call() {
        CallStack s = counter.enter();
        try {
            int v = version;
            return retired >= v;
        } finally {
            s.exit();
        }
    }

    @Operation
    public synchronized void swapWithoutWaiting() {
        int old = version;
        version = old + 1;
        counter.flip(); // the drain is ignored: the bug under control
        retired = old;
    }

    @Test
    public void theModelCheckerFindsASwapperThatDoesNotWait() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(200)
                .threads(2)
                .actorsPerThread(2);
        assertThatThrownBy(() -> LinChecker.check(GenerationCounterLincheckNegativeControlTest.class, options))
                .isInstanceOf(AssertionError.class);
    }
}

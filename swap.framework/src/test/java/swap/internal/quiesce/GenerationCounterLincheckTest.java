package swap.internal.quiesce;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Model-checked (Lincheck explores thread interleavings): a flip's drain never completes while
 * a call that entered before the flip is still inside. {@code call()} reports whether it saw its
 * version retired while inside; in every sequential history it returns {@code false}, so any
 * interleaving in which it returns {@code true} is not linearizable and fails the check.
 */
public class GenerationCounterLincheckTest {

    /*
     * Portable fences: the model checker explores interleavings under sequential consistency, where
     * the fence modes are one protocol; and a handshake's bounded spin reads the clock, which it
     * cannot replay. The modes' memory ordering is checked by jcstress (swap.jcstress) and by
     * GenerationCounterStressTest, in every mode.
     */
    private final CallStacks stacks = new CallStacks(Fences.Mode.PORTABLE);
    private final GenerationCounter counter = stacks.newCounter("lincheck");
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
    public boolean nestedCall() {
        CallStack outer = counter.enter();
        try {
            int v = version;
            CallStack inner = counter.enter();
            try {
                return retired >= v;
            } finally {
                inner.exit();
            }
        } finally {
            outer.exit();
        }
    }

    /** Publishes a new version, flips, waits for the drain, and retires the old version. */
    @Operation
    public synchronized void swap() {
        int old = version;
        version = old + 1;
        Drain drain = counter.flip();
        while (!drain.isComplete()) {
            Thread.yield();
        }
        retired = old;
    }

    @Test
    public void aDrainNeverCompletesWhileAnEarlierCallIsInside() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(2);
        LinChecker.check(GenerationCounterLincheckTest.class, options);
    }
}

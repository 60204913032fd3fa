package swap.fcm.internal.pool;

import java.util.ArrayDeque;
import java.util.Deque;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import swap.fcm.FramePool.Account;
import swap.fcm.FramePool.Frame;

/**
 * Model-checked: a thread that sees an account hold fewer frames after a release must find the
 * released frame free. A waiter in {@code awaitFrame} relies on it: when it sees every other
 * account down to its last frame it tries once more and then gives up, so a release that lowered
 * the account's count before the pool's would let it give up with a frame about to be free. The
 * pool has a budget of 2 and account {@code b} starts with both frames; {@code lookThenTake}
 * allocates for account {@code w} only once {@code b} is seen at one frame or fewer, and must then
 * get a frame (1), never nothing (-1): no order of the operations run one at a time gives -1.
 * With {@code release} lowering {@code held} before {@code inUse}, Lincheck finds the
 * interleaving that does.
 */
public class FramePoolReleaseOrderLincheckTest {

    private final FramePoolImpl pool = new FramePoolImpl(2);
    private final Account b;
    private final Account w;
    private final Deque<Frame> heldByB = new ArrayDeque<>();
    private final Deque<Frame> heldByW = new ArrayDeque<>();

    public FramePoolReleaseOrderLincheckTest() {
        pool.setFreeFrames(0);
        b = pool.openAccount("b");
        w = pool.openAccount("w");
        heldByB.push(b.allocate());
        heldByB.push(b.allocate());
    }

    @Operation(nonParallelGroup = "b")
    public boolean releaseB() {
        Frame f = heldByB.poll();
        if (f == null) {
            return false;
        }
        b.release(f);
        return true;
    }

    /** 0: b still held both frames; 1: it did not and w got a frame; -1: it did not and w got none. */
    @Operation(nonParallelGroup = "w")
    public int lookThenTake() {
        if (b.held() > 1 || !heldByW.isEmpty()) {
            return 0;
        }
        Frame f = w.allocate();
        if (f == null) {
            return -1;
        }
        heldByW.push(f);
        return 1;
    }

    @Test
    public void aFrameSeenReleasedThroughItsAccountsCountIsFree() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(2);
        LinChecker.check(FramePoolReleaseOrderLincheckTest.class, options);
    }
}

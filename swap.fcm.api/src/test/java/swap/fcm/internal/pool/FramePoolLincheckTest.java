package swap.fcm.internal.pool;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import swap.fcm.FramePool.Account;
import swap.fcm.FramePool.Frame;

/**
 * Model-checked (Lincheck explores thread interleavings): the pool's accounting under concurrent
 * allocations and releases by two accounts, each used by one thread as a file cache uses its
 * account under its own lock. Every history must match one in which the operations ran one at a
 * time: an allocation fails only when the budget is used up, a release always succeeds, and
 * {@code inUse} counts the frames held. After each run: the pool's count is the sum of what the
 * accounts hold, each frame held is owned by its holder and by no one else, and no more frames
 * were made than the budget.
 *
 * <p>The reclaim (its thread and the waits of {@code awaitFrame}) is outside the model: the pool
 * keeps no free target here and names no reclaimer; the stress test in
 * {@link FramePoolReclaimTest} covers it.
 */
public class FramePoolLincheckTest {

    private static final int BUDGET = 2;
    private final FramePoolImpl pool = new FramePoolImpl(BUDGET);
    private final Account a;
    private final Account b;
    private final Deque<Frame> heldByA = new ArrayDeque<>();
    private final Deque<Frame> heldByB = new ArrayDeque<>();

    public FramePoolLincheckTest() {
        pool.setFreeFrames(0);
        a = pool.openAccount("a");
        b = pool.openAccount("b");
    }

    @Operation(nonParallelGroup = "a")
    public boolean allocateA() {
        return allocate(a, heldByA);
    }

    @Operation(nonParallelGroup = "a")
    public boolean releaseA() {
        return release(a, heldByA);
    }

    @Operation(nonParallelGroup = "b")
    public boolean allocateB() {
        return allocate(b, heldByB);
    }

    @Operation(nonParallelGroup = "b")
    public boolean releaseB() {
        return release(b, heldByB);
    }

    @Operation
    public int inUse() {
        return pool.inUse();
    }

    private static boolean allocate(Account account, Deque<Frame> held) {
        Frame f = account.allocate();
        if (f == null) {
            return false;
        }
        held.push(f);
        return true;
    }

    private static boolean release(Account account, Deque<Frame> held) {
        Frame f = held.poll();
        if (f == null) {
            return false;
        }
        account.release(f);
        return true;
    }

    @Validate
    public void accountingIsExact() {
        check(pool.inUse() == a.held() + b.held(), "inUse " + pool.inUse() + " != " + a.held() + " + " + b.held());
        check(a.held() == heldByA.size() && b.held() == heldByB.size(), "held counts differ from the frames held");
        Set<Integer> seen = new HashSet<>();
        for (Frame f : heldByA) {
            check(f.owner() == a && seen.add(f.index()), "frame " + f.index() + " of a: owner " + f.owner());
        }
        for (Frame f : heldByB) {
            check(f.owner() == b && seen.add(f.index()), "frame " + f.index() + " of b: owner " + f.owner());
        }
        check(pool.framesMade() <= BUDGET, pool.framesMade() + " frames made for a budget of " + BUDGET);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }

    @Test
    public void allocationsAndReleasesAreLinearizableAndTheAccountingExact() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3);
        LinChecker.check(FramePoolLincheckTest.class, options);
    }
}

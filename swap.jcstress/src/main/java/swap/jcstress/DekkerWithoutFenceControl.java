package swap.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Control for {@link FlipSeesEarlierCall}: Dekker's pattern with plain fields and no fence. On
 * this hardware and JIT the outcome that the generation counter forbids does occur here; the
 * driver test checks that it was seen, so a pass of {@code FlipSeesEarlierCall} means the
 * counter's fences prevented it, not that the run was too short to see it.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "both loads passed the other thread's store")
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "sequentially consistent")
@State
public class DekkerWithoutFenceControl {

    private int x;
    private int y;

    @Actor
    public void caller(II_Result r) {
        x = 1;
        r.r1 = y;
    }

    @Actor
    public void swapper(II_Result r) {
        y = 1;
        r.r2 = x;
    }
}

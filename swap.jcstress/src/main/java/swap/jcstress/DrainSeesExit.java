package swap.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;
import swap.internal.quiesce.CallStacks;
import swap.internal.quiesce.Drain;
import swap.internal.quiesce.GenerationCounter;

/**
 * A drain completes once its calls have left: a call enters and exits while a swapper flips;
 * once both are done, the drain (which may or may not hold the call) is complete. A drain that
 * stays incomplete after its calls left would hold a swap forever.
 */
@JCStressTest
@Outcome(id = "1", expect = ACCEPTABLE, desc = "complete")
@Outcome(id = "0", expect = FORBIDDEN, desc = "the call has left but the drain still holds it")
@State
public class DrainSeesExit {

    private final CallStacks stacks = new CallStacks();
    private final GenerationCounter counter = stacks.newCounter("jcstress");
    private Drain drain;

    @Actor
    public void caller() {
        counter.enter().exit();
    }

    @Actor
    public void swapper() {
        drain = counter.flip();
    }

    @Arbiter
    public void check(I_Result r) {
        r.r1 = drain.isComplete() ? 1 : 0;
    }
}

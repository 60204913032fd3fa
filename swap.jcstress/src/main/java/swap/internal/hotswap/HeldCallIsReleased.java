package swap.internal.hotswap;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import swap.internal.quiesce.CallStacks;
import swap.internal.quiesce.GenerationCounter;

/**
 * Termination: a call held by a mediator in its Blocked phase is always released when the
 * swapper ends the try, by a commit or by a rollback, whatever the interleaving of the caller's
 * parking and the swapper's release (no lost wake-up).
 */
public final class HeldCallIsReleased {

    private HeldCallIsReleased() {
    }

    /** A mediator in Blocked, and a call that arrives from a thread not inside the entry. */
    abstract static class Base {
        final Mediator mediator;

        Base() {
            CallStacks stacks = new CallStacks();
            GenerationCounter counter = stacks.newCounter("jcstress");
            mediator = new Mediator("jcstress", counter, stacks, "old", 10_000_000_000L);
            mediator.block();
        }

        void call() {
            long ticket = mediator.admit(); // held until the signal
            mediator.leave(ticket);
        }
    }

    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the held call was released to the new target")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the held call was never released")
    @State
    public static class ByCommit extends Base {
        @Actor
        public void caller() {
            call();
        }

        @Signal
        public void swapper() {
            mediator.startTransfer();
            mediator.setNewTarget("new");
            mediator.commit();
        }
    }

    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "the held call was released to the old target")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "the held call was never released")
    @State
    public static class ByRollback extends Base {
        @Actor
        public void caller() {
            call();
        }

        @Signal
        public void swapper() {
            mediator.rollBack();
        }
    }
}

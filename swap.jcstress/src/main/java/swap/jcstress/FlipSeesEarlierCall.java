package swap.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import swap.internal.quiesce.CallStacks;
import swap.internal.quiesce.Fences;
import swap.internal.quiesce.GenerationCounter;

/**
 * The generation counter's central property, Dekker's pattern on real hardware: a caller enters
 * and then reads the target; a swapper writes a new target and then flips. Either the caller
 * reads the new target, or the flip's drain holds the call. Never neither. Once with each
 * {@linkplain Fences fence mode}.
 */
public final class FlipSeesEarlierCall {

    private FlipSeesEarlierCall() {
    }

    /** The shared body: a domain, a counter, a target. */
    abstract static class Base {
        private final GenerationCounter counter;
        private volatile int target;

        Base(Fences.Mode mode) {
            counter = new CallStacks(mode).newCounter("jcstress");
        }

        void caller(II_Result r) {
            counter.enter(); // the call stays in progress: the state is discarded afterwards
            r.r1 = target;
        }

        void swapper(II_Result r) {
            target = 1;
            r.r2 = counter.flip().remaining();
        }
    }

    @JCStressTest
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the call read the old target and the flip missed it")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the call read the old target; the flip waits for it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the call read the new target; nothing to wait for")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "the call read the new target and is waited for anyway")
    @State
    public static class Portable extends Base {
        public Portable() {
            super(Fences.Mode.PORTABLE);
        }

        @Actor
        public void caller(II_Result r) {
            super.caller(r);
        }

        @Actor
        public void swapper(II_Result r) {
            super.swapper(r);
        }
    }

    /** Handshake fences (the default) where membarrier exists (the driver test requires it on Linux); portable elsewhere. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the call read the old target and the flip missed it")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the call read the old target; the flip waits for it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the call read the new target; nothing to wait for")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "the call read the new target and is waited for anyway")
    @State
    public static class Handshake extends Base {
        public Handshake() {
            super(Fences.asymmetricAvailable() ? Fences.Mode.HANDSHAKE : Fences.Mode.PORTABLE);
        }

        @Actor
        public void caller(II_Result r) {
            super.caller(r);
        }

        @Actor
        public void swapper(II_Result r) {
            super.swapper(r);
        }
    }

    /** Asymmetric fences where membarrier exists (the driver test requires it on Linux); portable elsewhere. */
    @JCStressTest
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "the call read the old target and the flip missed it")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the call read the old target; the flip waits for it")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the call read the new target; nothing to wait for")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "the call read the new target and is waited for anyway")
    @State
    public static class Asymmetric extends Base {
        public Asymmetric() {
            super(Fences.asymmetricAvailable() ? Fences.Mode.ASYMMETRIC : Fences.Mode.PORTABLE);
        }

        @Actor
        public void caller(II_Result r) {
            super.caller(r);
        }

        @Actor
        public void swapper(II_Result r) {
            super.swapper(r);
        }
    }
}

package swap.internal.quiesce;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A handshake alone, without the {@code membarrier} it falls back to (see
 * {@link Fences.Mode#HANDSHAKE}): a caller enters, reads the target, and enters again (its second
 * call acknowledges a handshake in progress); a swapper writes a new target and flips without
 * fallback. If the flip's handshake was acknowledged, then the first call read the new target or
 * the flip's drain holds it. A flip whose handshake was not acknowledged in time proves nothing
 * here (the real flip would run {@code membarrier}: {@code FlipSeesEarlierCall.Handshake}).
 *
 * <p>r1: the target the first call read; r2: whether the drain holds the first call (a frame seen
 * at depth 1 or 2 includes it), or -1 if the handshake was not acknowledged.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "acknowledged, yet the call read the old target and the flip missed it")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the call read the old target; the acknowledgement made the flip see it")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the call read the new target; nothing to wait for")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the call read the new target and is waited for anyway")
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "not acknowledged in time: the flip would run membarrier")
@Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "not acknowledged in time: the flip would run membarrier")
@State
public class HandshakeSeesEarlierCall {

    private final GenerationCounter counter;
    private volatile int target;

    public HandshakeSeesEarlierCall() {
        counter = new CallStacks(Fences.asymmetricAvailable() ? Fences.Mode.HANDSHAKE : Fences.Mode.PORTABLE)
                .newCounter("jcstress");
    }

    @Actor
    public void caller(II_Result r) {
        counter.enter(); // both calls stay in progress: the state is discarded afterwards
        r.r1 = target;
        counter.enter();
    }

    @Actor
    public void swapper(II_Result r) {
        target = 1;
        Drain drain = counter.flip(false);
        r.r2 = drain == null ? -1 : drain.remaining() > 0 ? 1 : 0;
    }
}

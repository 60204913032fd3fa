package swap.internal.quiesce;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a quiescence domain orders a caller's frame before the caller's load of the target (the
 * caller's half of Dekker's pattern, see {@link GenerationCounter}).
 *
 * <ul>
 *   <li>{@link Mode#PORTABLE}: the caller publishes its frame with a volatile store, which ends
 *       in a full fence (a locked instruction on x86, about 7 ns on this project's machines).
 *       Correct by the Java Memory Model alone.
 *   <li>{@link Mode#ASYMMETRIC}: the caller publishes its frame with a release store and no
 *       fence; the flipper runs {@link Membarrier} (Linux {@code membarrier}) after writing the
 *       target and before reading the frames, which executes a full barrier on every CPU running
 *       a thread of the process. Correct if, in addition, the JIT keeps the caller's target load
 *       after its frame store in program order. An {@code acquireFence} sits between them: in
 *       HotSpot every fence intrinsic is a memory barrier node that consumes and produces all of
 *       memory, so C2 schedules no memory access across it (C1 and the interpreter keep program
 *       order anyway); it emits no instruction on x86. The Java Memory Model alone does not promise
 *       this ordering for an acquire fence: this mode rests on HotSpot's implementation, and is
 *       tested with jcstress (including C2's scheduling randomizers) in every mode.
 *   <li>{@link Mode#HANDSHAKE}: callers as in {@code ASYMMETRIC}; a flip first asks the other
 *       threads of the domain to acknowledge it (a <em>handshake</em>, see
 *       {@link CallStacks#handshake}), and runs {@code membarrier} only if one of them does not
 *       acknowledge within {@value CallStacks#HANDSHAKE_SPIN_NANOS} ns, or is not runnable. A
 *       caller acknowledges in its next call through the flipped counter, with one release store
 *       after its frame; once the flipper has read it, the caller's earlier frames are visible to
 *       the flipper and its later calls read the new target. So a flip costs no
 *       {@code membarrier} (an IPI to every CPU running a thread of the process, about 18 us in a
 *       virtual machine) when every thread that ever called through the domain is alive only if
 *       it keeps calling through that counter, as in a component swapped under its callers' load;
 *       a thread that once called and now sits idle (a pool's, the shell's) makes every flip fall
 *       back to {@code membarrier}. Callers never fence: they read the counter's word that says
 *       how to publish a frame, as in the other modes, and store one more word only while a
 *       handshake is in progress.
 * </ul>
 *
 * The mode of new tables comes from the system property {@value #PROPERTY}: {@code portable},
 * {@code asymmetric}, {@code handshake}, or {@code auto} (the default: handshake where
 * {@code membarrier} is available, portable elsewhere).
 */
public final class Fences {

    /** The system property that chooses the mode of new domains. */
    public static final String PROPERTY = "swap.quiescence.fences";

    /** The two orderings. */
    public enum Mode {
        PORTABLE,
        ASYMMETRIC,
        HANDSHAKE;

        /** Whether callers of this mode go without a fence, so that flips need {@code membarrier} or a handshake. */
        public boolean asymmetric() {
            return this != PORTABLE;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Fences.class);
    private static final boolean MEMBARRIER = probe();

    private Fences() {
    }

    /** Whether asymmetric fences are available here. */
    public static boolean asymmetricAvailable() {
        return MEMBARRIER;
    }

    /** The mode the system property asks for, given what is available. */
    public static Mode defaultMode() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "portable":
                return Mode.PORTABLE;
            case "asymmetric":
            case "handshake":
                if (!MEMBARRIER) {
                    LOG.warn("{}={}, but membarrier is not available here; using portable fences", PROPERTY, wanted);
                    return Mode.PORTABLE;
                }
                return wanted.equals("asymmetric") ? Mode.ASYMMETRIC : Mode.HANDSHAKE;
            case "auto":
                return MEMBARRIER ? Mode.HANDSHAKE : Mode.PORTABLE;
            default:
                LOG.warn("{}={} is not one of portable, asymmetric, handshake, auto; using auto", PROPERTY, wanted);
                return MEMBARRIER ? Mode.HANDSHAKE : Mode.PORTABLE;
        }
    }

    /** The flipper's half of the asymmetric modes (the handshake's fallback). */
    static void membarrier() {
        if (!Membarrier.barrier()) {
            throw new IllegalStateException("membarrier(PRIVATE_EXPEDITED) failed; a flip cannot order callers");
        }
    }

    private static boolean probe() {
        try {
            return Membarrier.register();
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("membarrier is not available ({}); generation counters use portable fences", e.toString());
            return false;
        }
    }
}

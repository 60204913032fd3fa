package swap.policy;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A policy, registered as an OSGi service: it attaches monitors to the instances of a component
 * and swaps an instance to another implementation when its monitor sees the access pattern that
 * implementation is made for. Every swap it triggers goes through the swap framework and is in the
 * swap history with a reason that starts with {@code "policy <name>: "}.
 *
 * <p>A policy's thresholds and its initial state come from Configuration Admin; an operator can
 * switch it on and off at run time ({@link #setEnabled}), which lasts until its configuration
 * changes or it is restarted. Thread-safe: every method may be called from any thread.
 */
@ConsumerType
public interface SwapPolicy {

    /** The prefix of the reason of every swap a policy triggers: {@code "policy " + name() + ": "}. */
    String REASON_PREFIX = "policy ";

    /** The policy's name, unique among policies, e.g. {@code fcm.sequential}. */
    String name();

    /** One line: what it watches, its thresholds now, and what it swaps to. */
    String description();

    /** Whether the policy is on: watching instances and swapping them. */
    boolean isEnabled();

    /**
     * Switches the policy on (it attaches its monitor to every live instance of its component and
     * to each new one, possibly a few milliseconds later, from its own thread; it may leave out or
     * detach a monitor that could not lead to a swap, and attach it when it could) or off (it
     * detaches every monitor before it returns; a swap it already started completes, no new one
     * starts). Idempotent.
     */
    void setEnabled(boolean enabled);

    /** The ids of the entries the policy monitors now, sorted; empty when it is off. */
    List<String> watching();
}

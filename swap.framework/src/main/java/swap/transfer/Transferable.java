package swap.transfer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component instance whose state can move to another instance of its family during a hot swap.
 *
 * <p>The framework calls these methods from the swapping thread, while the instance is
 * <em>quiescent</em>: no call through the entry is in progress on it, and none starts until
 * the swap ends. The negotiation takes the highest bit of
 * {@code old.exportProtocols() & new.importProtocols()}; if there is none the swap is refused
 * before anything changes. Then {@link #exportState} runs on the old instance and
 * {@link #importState} on the new one, with the same protocol number.
 *
 * <p>Export must not destroy the old instance's state, or hand over anything the old instance
 * still needs to serve calls: until the swap commits it may roll back, and the old instance then
 * goes on serving. A richer protocol may pass internal structures by reference (for example a
 * newer version of the same implementation taking over a map as is), provided the old instance
 * does not use them after {@link #swappedOut()} and the new one does not change them before the
 * swap commits (calls reach it only after the commit).
 */
@ConsumerType
public interface Transferable {

    /** The protocols this instance can export its state in: bit {@code i} set means protocol {@code i}. */
    long exportProtocols();

    /** The protocols this instance can import state in. */
    long importProtocols();

    /**
     * Packages this (old) instance's state in {@code protocol}.
     *
     * @throws Exception to fail the swap; it rolls back and the old instance goes on serving
     */
    Object exportState(int protocol) throws Exception;

    /**
     * Takes in the state that the old instance exported in {@code protocol}. Calls reach this (new)
     * instance only after the swap committed.
     *
     * @throws Exception to fail the swap; it rolls back, and {@link #abandoned()} follows
     */
    void importState(int protocol, Object state) throws Exception;

    /**
     * The swap committed: this old instance will not be called again. Release what was not handed
     * over to the new instance. Exceptions are logged and ignored.
     */
    default void swappedOut() {
    }

    /**
     * The swap rolled back after this new instance was created: release what it acquired, but
     * nothing it took over by reference from the old instance, which keeps serving. Exceptions are
     * logged and ignored.
     */
    default void abandoned() {
    }
}

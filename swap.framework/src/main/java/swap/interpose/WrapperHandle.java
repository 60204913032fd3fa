package swap.interpose;

import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One attachment of a {@link Wrapper} to an entry.
 *
 * <p>Any thread. {@link #detach()} happens-before every call through the stub that starts after
 * it returns, and no such call runs the wrapper. Calls that had started before go on with the
 * wrappers they started with, so a call whose {@code preCall} ran also gets its
 * {@code postCall}. Detaching never waits for calls in progress.
 */
@ProviderType
public interface WrapperHandle {

    /** The attached wrapper. */
    Wrapper wrapper();

    /** The methods the wrapper is limited to; empty if it wraps every method. */
    Set<String> methods();

    /** The id of the entry the wrapper is attached to. */
    String entryId();

    /** Whether the wrapper is still attached. */
    boolean isAttached();

    /**
     * Detaches the wrapper.
     *
     * @throws IllegalStateException if it was already detached, or the entry was removed
     */
    void detach();
}

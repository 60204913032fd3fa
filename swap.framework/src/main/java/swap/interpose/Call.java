package swap.interpose;

import java.lang.reflect.Method;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One call through an entry's stub, as its wrappers see it. Valid only during the wrapper's
 * hook, on the calling thread; do not keep it.
 */
@ProviderType
public interface Call {

    /** The id of the entry being called. */
    String entryId();

    /** The interface method being called. */
    Method method();

    /** The arguments as they stand (primitives boxed); an unmodifiable copy. */
    List<Object> arguments();

    /** Argument {@code index} as it stands. */
    Object argument(int index);

    /**
     * Replaces argument {@code index} for the instance and for inner wrappers. In
     * {@link Wrapper#preCall} only.
     *
     * @throws IllegalArgumentException if {@code value} cannot be passed as that parameter
     *         ({@code null} for a primitive, or a value of another type)
     * @throws IllegalStateException outside {@code preCall}
     */
    void setArgument(int index, Object value);

    /**
     * Ends the call with {@code exception} instead of calling the instance: inner wrappers and
     * the instance are not called, outer wrappers' {@code postCall}s see the exception, and the
     * caller receives it. In {@link Wrapper#preCall} only.
     *
     * @throws IllegalArgumentException if {@code exception} is a checked exception the method
     *         does not declare
     * @throws IllegalStateException outside {@code preCall}
     */
    void abort(Throwable exception);

    /** Whether the call ended with an exception. In {@link Wrapper#postCall} only. */
    boolean threw();

    /** The exception the call ended with, or {@code null}. In {@link Wrapper#postCall} only. */
    Throwable thrown();

    /** The result as it stands (boxed; {@code null} for {@code void}). In {@link Wrapper#postCall} only. */
    Object result();

    /**
     * Replaces the result seen by outer wrappers and the caller. In {@link Wrapper#postCall} of
     * a call that returned normally, only.
     *
     * @throws IllegalArgumentException if {@code value} cannot be returned by the method
     * @throws IllegalStateException outside {@code postCall}, or if the call threw
     */
    void setResult(Object value);
}

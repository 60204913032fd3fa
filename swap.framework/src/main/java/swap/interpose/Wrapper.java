package swap.interpose;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Code that runs before and after calls through an entry's stub, attached with
 * {@link swap.ott.Entry#attach}.
 *
 * <p>For each call, on the calling thread: {@link #preCall} runs before the instance is called
 * and returns a token; {@link #postCall} runs after the instance returned or threw, and receives
 * that token (per-call state without thread-locals). A wrapper may rewrite the arguments in
 * {@code preCall} ({@link Call#setArgument}), the result in {@code postCall}
 * ({@link Call#setResult}), or end the call with an exception in {@code preCall}
 * ({@link Call#abort}). Exceptions thrown by the instance reach the caller unchanged.
 *
 * <p>A wrapper that throws does not break the call: the failure is logged (rate-limited), what
 * that wrapper changed in the call in that hook is undone, and the call goes on. If
 * {@code preCall} throws, its {@code postCall} is not run for that call.
 *
 * <p>Wrappers are called concurrently from every thread that calls the entry, and must be
 * thread-safe. They run inside the call: what they do adds to its latency.
 */
@ConsumerType
public interface Wrapper {

    /**
     * Runs before the call.
     *
     * @return a token handed to {@link #postCall} for this call (may be {@code null})
     */
    default Object preCall(Call call) {
        return null;
    }

    /** Runs after the call returned ({@link Call#threw()} false) or threw. */
    default void postCall(Call call, Object token) {
    }

    /**
     * Whether {@link #postCall} does anything. A wrapper that answers {@code false} is not called
     * after the call (K42: skipping POSTCALL saves per-call work). Read once, at attach.
     */
    default boolean hasPostCall() {
        return true;
    }

    /** The name under which entry snapshots list this wrapper. */
    default String name() {
        return getClass().getSimpleName();
    }
}

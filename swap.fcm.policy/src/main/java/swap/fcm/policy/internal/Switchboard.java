package swap.fcm.policy.internal;

import java.util.Map;
import java.util.function.Consumer;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.osgi.SwapComponents;
import swap.ott.Entry;

/**
 * What a policy needs of the swap framework: the instances of a component as they are made, what
 * made each one's current instance, and a swap to an implementation named by its characteristics.
 * In OSGi it is {@link SwapComponents}; on a plain class path (tests, benchmarks) a
 * {@link TableSwitchboard}. The methods mean what {@link SwapComponents}' namesakes mean.
 */
public interface Switchboard {

    AutoCloseable watch(String component, Consumer<Entry<?>> listener);

    Map<String, Object> properties(Entry<?> entry);

    SwapResult swap(Entry<?> entry, String filter, SwapOptions options, String reason);

    /** The switchboard of the container's {@link SwapComponents} service. */
    static Switchboard over(SwapComponents components) {
        return new Switchboard() {
            @Override
            public AutoCloseable watch(String component, Consumer<Entry<?>> listener) {
                return components.watch(component, listener);
            }

            @Override
            public Map<String, Object> properties(Entry<?> entry) {
                return components.properties(entry);
            }

            @Override
            public SwapResult swap(Entry<?> entry, String filter, SwapOptions options, String reason) {
                return components.swap(entry, filter, options, reason);
            }
        };
    }
}

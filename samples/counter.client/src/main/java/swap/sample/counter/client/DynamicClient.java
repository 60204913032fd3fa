package swap.sample.counter.client;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import swap.sample.counter.Counter;

/**
 * A Declarative Services consumer of {@link Counter} written to ride out provider restarts
 * the usual OSGi way: a dynamic, greedy, optional reference held in a volatile field. It is never
 * deactivated when the counter goes: Declarative Services sets the field to {@code null} (the
 * component keeps its service) and sets it again when a counter comes back; greedy, it also moves
 * to a better-ranked counter at once. A mandatory dynamic reference would not do: with the only
 * provider gone, Declarative Services would deactivate the component as it does a static one.
 *
 * <p>A call while no counter is bound fails with {@link IllegalStateException} ("no Counter
 * bound"); a call that read the field just before the unbind reaches the departing counter.
 */
@Component(immediate = true)
public class DynamicClient implements DynamicCounterClient {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Counter counter;

    @Override
    public long increment() {
        return bound().increment();
    }

    @Override
    public String version() {
        return bound().version();
    }

    private Counter bound() {
        Counter c = counter; // read once: the field may be cleared at any time
        if (c == null) {
            throw new IllegalStateException("no Counter bound");
        }
        return c;
    }
}

package swap.sample.counter.v2;

import org.osgi.service.component.annotations.Component;
import swap.hotswap.ComponentFactory;
import swap.sample.counter.Counter;

/**
 * A second implementation of {@code sample.counters} in version 2, {@code concurrent}, told apart
 * by its characteristics: a swap target named by the filter {@code (sample.counter.optimized.for=concurrent)}.
 */
@Component(property = {"swap.component=sample.counters", "swap.impl=concurrent", "sample.counter.optimized.for=concurrent"})
public class ConcurrentCounterFactory implements ComponentFactory<Counter> {

    @Override
    public Counter create() {
        return new CounterV2() {
            @Override
            public String version() {
                return "2-concurrent";
            }
        };
    }
}

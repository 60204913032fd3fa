package swap.sample.counter.v1;

import org.osgi.service.component.annotations.Component;
import swap.hotswap.ComponentFactory;
import swap.sample.counter.Counter;

/** Version 1's factory of counters: the many-instance component {@code sample.counters}, implementation {@code plain}. */
@Component(property = {"swap.component=sample.counters", "swap.impl=plain", "sample.counter.optimized.for=exclusive"})
public class CounterFactoryV1 implements ComponentFactory<Counter> {

    @Override
    public Counter create() {
        return new CounterV1();
    }
}

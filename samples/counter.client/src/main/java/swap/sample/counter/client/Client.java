package swap.sample.counter.client;

import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import swap.sample.counter.Counter;
import swap.sample.counter.CounterClient;

/**
 * A plain Declarative Services consumer of {@link Counter}: a static, mandatory reference, so
 * that any coming or going of the counter service deactivates it (which the tests count).
 */
@Component(immediate = true)
public class Client implements CounterClient {

    private static final AtomicInteger ACTIVATIONS = new AtomicInteger();
    private static final AtomicInteger DEACTIVATIONS = new AtomicInteger();

    @Reference
    private Counter counter;

    @Activate
    void activate() {
        ACTIVATIONS.incrementAndGet();
    }

    @Deactivate
    void deactivate() {
        DEACTIVATIONS.incrementAndGet();
    }

    @Override
    public long increment() {
        return counter.increment();
    }

    @Override
    public String version() {
        return counter.version();
    }

    @Override
    public int activations() {
        return ACTIVATIONS.get();
    }

    @Override
    public int deactivations() {
        return DEACTIVATIONS.get();
    }
}

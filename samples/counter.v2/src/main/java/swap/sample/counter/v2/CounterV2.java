package swap.sample.counter.v2;

import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import swap.sample.counter.Counter;
import swap.transfer.Transferable;

/**
 * Version 2 of the sample counter. State transfer: the canonical format (protocol 0) is the count
 * as a {@code Long}; between two version-2 instances protocol 1 hands over
 * the {@code AtomicLong} itself
 */
@Component(property = "swap.component=" + Counter.COMPONENT)
public class CounterV2 implements Counter, Transferable {

    private volatile AtomicLong count = new AtomicLong();
    private volatile boolean deactivated;

    @Deactivate
    void deactivate() {
        deactivated = true;
    }

    /** Counts, unless Declarative Services has deactivated this instance: then the call fails, visibly. */
    @Override
    public long increment() {
        if (deactivated) {
            throw new IllegalStateException("CounterV2 was called after its deactivation");
        }
        return count.incrementAndGet();
    }

    @Override
    public long get() {
        return count.get();
    }

    @Override
    public String version() {
        return "2";
    }

    @Override
    public long exportProtocols() {
        return 0b11L;
    }

    @Override
    public long importProtocols() {
        return 0b11L;
    }

    @Override
    public Object exportState(int protocol) {
        return switch (protocol) {
            case 0 -> count.get();
            case 1 -> count;
            default -> throw new IllegalArgumentException("protocol " + protocol + " is not offered");
        };
    }

    @Override
    public void importState(int protocol, Object state) {
        switch (protocol) {
            case 0 -> count.set((Long) state);
            case 1 -> count = (AtomicLong) state;
            default -> throw new IllegalArgumentException("protocol " + protocol + " is not offered");
        }
    }
}

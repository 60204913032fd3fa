package swap.sample.counter.broken;

import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import swap.sample.counter.Counter;
import swap.transfer.Transferable;

/** Version 3 of the sample counter: speaks the canonical format, but its import always throws. */
@Component(property = "swap.component=" + Counter.COMPONENT)
public class BrokenCounter implements Counter, Transferable {

    private final AtomicLong count = new AtomicLong();

    @Override
    public long increment() {
        return count.incrementAndGet();
    }

    @Override
    public long get() {
        return count.get();
    }

    @Override
    public String version() {
        return "3";
    }

    @Override
    public long exportProtocols() {
        return 1L;
    }

    @Override
    public long importProtocols() {
        return 1L;
    }

    @Override
    public Object exportState(int protocol) {
        return count.get();
    }

    @Override
    public void importState(int protocol, Object state) {
        throw new IllegalStateException("BrokenCounter 3.0.0 cannot import the count " + state + " (a deliberately failing patch)");
    }
}

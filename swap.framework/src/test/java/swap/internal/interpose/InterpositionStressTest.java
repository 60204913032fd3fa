package swap.internal.interpose;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import swap.fixture.Shapes;
import swap.fixture.ShapesImpl;
import swap.interpose.Call;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * Property: attaching and detaching wrappers while threads call loses no call, pairs every
 * preCall with its postCall, and after {@code detach} returns no call that starts runs the
 * detached wrapper.
 *
 * <p>Callers take a ticket from a shared clock before each call; the attacher takes one right
 * after each detach returns. A wrapper's preCall in a call whose ticket is later than the
 * wrapper's detach ticket is a violation.
 */
class InterpositionStressTest {

    private static final Duration RUN = Duration.ofMillis(1500);
    private static final int CALLERS = 3;

    private final AtomicLong clock = new AtomicLong();
    private final ThreadLocal<Long> ticket = new ThreadLocal<>();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong pre = new AtomicLong();
    private final AtomicLong post = new AtomicLong();

    /** A wrapper that knows the ticket at which it was detached. */
    private final class Tracked implements Wrapper {
        volatile long detachedAt = Long.MAX_VALUE;

        @Override
        public Object preCall(Call call) {
            pre.incrementAndGet();
            if (ticket.get() > detachedAt) {
                violations.incrementAndGet();
            }
            return this;
        }

        @Override
        public void postCall(Call call, Object token) {
            if (token != this) {
                violations.incrementAndGet();
            }
            post.incrementAndGet();
        }
    }

    @Test
    void attachAndDetachUnderConcurrentCallsLoseNothing() throws InterruptedException {
        ShapesImpl impl = new ShapesImpl("s");
        Entry<Shapes> entry = new TableImpl().register(Shapes.class, impl);
        Shapes stub = entry.stub();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong calls = new AtomicLong();
        AtomicLong wrongResults = new AtomicLong();
        AtomicLong attaches = new AtomicLong();

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            int base = i * 1000;
            threads.add(new Thread(() -> {
                try {
                    for (int n = 0; !stop.get(); n++) {
                        ticket.set(clock.incrementAndGet());
                        if (stub.add(base, n) != base + n) {
                            wrongResults.incrementAndGet();
                        }
                        calls.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "caller-" + i));
        }
        long deadline = System.nanoTime() + RUN.toNanos();
        threads.add(new Thread(() -> {
            try {
                List<Tracked> attached = new ArrayList<>();
                List<WrapperHandle> handles = new ArrayList<>();
                for (int n = 0; System.nanoTime() - deadline < 0; n++) {
                    if (attached.size() < 3 && (n % 3 != 2 || attached.isEmpty())) {
                        Tracked w = new Tracked();
                        handles.add(n % 2 == 0 ? entry.attach(w) : entry.attach(w, "add"));
                        attached.add(w);
                        attaches.incrementAndGet();
                    } else {
                        int k = n % attached.size();
                        handles.remove(k).detach();
                        attached.remove(k).detachedAt = clock.incrementAndGet();
                    }
                }
                for (WrapperHandle h : handles) {
                    h.detach();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                stop.set(true);
            }
        }, "attacher"));
        int before = impl.count();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(RUN.toMillis() + 20_000);
            assertThat(t.isAlive()).as(t.getName() + " ended").isFalse();
        }

        assertThat(failure.get()).isNull();
        assertThat(attaches.get()).as("attaches").isGreaterThan(100);
        assertThat(calls.get()).as("calls").isGreaterThan(10_000);
        assertThat(impl.count() - before).as("every call reached the instance exactly once").isEqualTo(calls.get());
        assertThat(wrongResults.get()).isZero();
        assertThat(post.get()).as("every preCall got its postCall").isEqualTo(pre.get());
        assertThat(pre.get()).as("wrappers did run").isPositive();
        assertThat(violations.get()).as("calls that ran a wrapper after its detach returned").isZero();
        assertThat(entry.snapshot().wrappers).isEmpty();
    }
}

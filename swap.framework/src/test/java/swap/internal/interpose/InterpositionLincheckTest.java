package swap.internal.interpose;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;
import swap.interpose.Call;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * Model-checked: attaching and detaching wrappers while threads call through the stub loses no
 * call and changes no result (every {@code call(x)} returns {@code x + 1}, as in any sequential
 * history), and every preCall that ran is paired with its postCall ({@link #paired()}).
 */
@Param(name = "x", gen = IntGen.class, conf = "0:9")
public class InterpositionLincheckTest {

    /** The component of the test. */
    public interface Increment {
        int apply(int x);
    }

    private final AtomicInteger pre = new AtomicInteger();
    private final AtomicInteger post = new AtomicInteger();
    private final Entry<Increment> entry = new TableImpl().register(Increment.class, x -> x + 1);
    private final Increment stub = entry.stub();
    private final Deque<WrapperHandle> attached = new ArrayDeque<>();

    private final Wrapper counting = new Wrapper() {
        @Override
        public Object preCall(Call call) {
            pre.incrementAndGet();
            return null;
        }

        @Override
        public void postCall(Call call, Object token) {
            post.incrementAndGet();
        }
    };

    @Operation
    public int call(@Param(name = "x") int x) {
        return stub.apply(x);
    }

    @Operation
    public synchronized void attach() {
        attached.push(entry.attach(counting));
    }

    @Operation
    public synchronized void detach() {
        WrapperHandle handle = attached.poll();
        if (handle != null) {
            handle.detach();
        }
    }

    @Validate
    public void paired() {
        if (pre.get() != post.get()) {
            throw new IllegalStateException(pre.get() + " preCalls but " + post.get() + " postCalls");
        }
    }

    @Test
    public void attachAndDetachUnderConcurrentCallsLoseNoCall() {
        ModelCheckingOptions options = new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(150)
                .threads(3)
                .actorsPerThread(2);
        LinChecker.check(InterpositionLincheckTest.class, options);
    }
}

package swap.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.FrameworkFactory;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import swap.interpose.Wrapper;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.Entry;

/**
 * The cost of one call, per mechanism, side by side in one run: the baselines (a direct call, a
 * volatile load of the target, the JDK's {@link Proxy}, {@code ServiceTracker.getService()} per
 * call on a real Felix, a volatile target plus a shared atomic in-flight counter: the naive
 * design) and swap's paths (a stub with the default fences, handshake where Linux membarrier
 * is available, whose callers do what asymmetric fences' callers do; a stub with portable fences; a stub with an empty wrapper, whose pre- and
 * postCall do nothing).
 *
 * <pre>
 * java -jar swap.bench/target/benchmarks.jar CallPathBenchmark -t 1 -prof gc
 * java -jar swap.bench/target/benchmarks.jar CallPathBenchmark -t 2
 * </pre>
 * With {@code -t 2} each thread has its own target objects but shares the stub's entry: the
 * stub writes nothing shared, so its time per call should not grow with threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallPathBenchmark {

    /** The component interface of the benchmark: small, so that the call itself costs little. */
    public interface Adder {
        int add(int a, int b);
    }

    public static final class PlainAdder implements Adder {
        @Override
        public int add(int a, int b) {
            return a + b;
        }
    }

    private Adder direct;
    private volatile Adder target;
    private final AtomicLong inFlight = new AtomicLong();
    private Adder proxy;
    private Adder stub;
    private Adder stubPortable;
    private Adder interposed;
    private Framework framework;
    private Path storage;
    private ServiceTracker<Adder, Adder> tracker;
    private int x = 17;

    @Setup
    public void setUp() throws Exception {
        direct = new PlainAdder();
        target = new PlainAdder();
        Adder forwardTo = new PlainAdder();
        InvocationHandler handler = (p, method, args) -> {
            try {
                return method.invoke(forwardTo, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        proxy = (Adder) Proxy.newProxyInstance(Adder.class.getClassLoader(), new Class<?>[] {Adder.class}, handler);
        TableImpl table = new TableImpl(type -> null, Fences.defaultMode());
        stub = table.register(Adder.class, new PlainAdder()).stub();
        stubPortable = new TableImpl(type -> null, Fences.Mode.PORTABLE).register(Adder.class, new PlainAdder()).stub();
        Entry<Adder> wrapped = table.register(Adder.class, new PlainAdder());
        wrapped.attach(new Wrapper() {
        });
        interposed = wrapped.stub();

        storage = Files.createTempDirectory("swap-bench-felix");
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        BundleContext context = framework.getBundleContext();
        context.registerService(Adder.class, new PlainAdder(), null);
        tracker = new ServiceTracker<>(context, Adder.class, null);
        tracker.open();
    }

    @TearDown
    public void tearDown() throws Exception {
        tracker.close();
        framework.stop();
        framework.waitForStop(10_000);
        EmbeddedFramework.delete(storage);
    }

    @Benchmark
    public int direct() {
        return direct.add(x, 1);
    }

    @Benchmark
    public int volatileIndirection() {
        return target.add(x, 1);
    }

    @Benchmark
    public int sharedAtomicInFlight() {
        inFlight.incrementAndGet();
        try {
            return target.add(x, 1);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Benchmark
    public int jdkProxy() {
        return proxy.add(x, 1);
    }

    @Benchmark
    public int serviceTrackerPerCall() {
        return tracker.getService().add(x, 1);
    }

    @Benchmark
    public int stub() {
        return stub.add(x, 1);
    }

    /** The stub with portable fences (a full fence per call), whatever the default mode is. */
    @Benchmark
    public int stubPortableFences() {
        return stubPortable.add(x, 1);
    }

    @Benchmark
    public int stubEmptyWrapper() {
        return interposed.add(x, 1);
    }
}

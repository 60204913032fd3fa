package swap.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
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

/**
 * The cost of reaching a component, per call: the baselines that every swap mechanism is measured
 * against (a direct call, one volatile load of the target, the JDK's reflective {@link Proxy}).
 *
 * <pre>
 * java -jar swap.bench/target/benchmarks.jar IndirectionBenchmark -t 1
 * java -jar swap.bench/target/benchmarks.jar IndirectionBenchmark -t 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IndirectionBenchmark {

    /** The component interface of the benchmark: small, so that the call itself costs little. */
    public interface Adder {
        int add(int a, int b);
    }

    static final class PlainAdder implements Adder {
        @Override
        public int add(int a, int b) {
            return a + b;
        }
    }

    private Adder direct;
    private volatile Adder target;
    private Adder proxy;
    private int x = 17;

    @Setup
    public void setUp() {
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
    public int jdkProxy() {
        return proxy.add(x, 1);
    }
}

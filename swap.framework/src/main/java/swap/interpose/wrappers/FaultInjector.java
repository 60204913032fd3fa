package swap.interpose.wrappers;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import swap.interpose.Call;
import swap.interpose.Wrapper;

/**
 * Injects faults into calls, for testing as K42's papers suggest: a delay before the call, an
 * exception instead of the call, or both, on every {@code n}th call. Limit it to chosen methods
 * with {@link swap.ott.Entry#attach(Wrapper, String...)}.
 *
 * <pre>
 * entry.attach(FaultInjector.delay(Duration.ofMillis(5)), "read");
 * entry.attach(FaultInjector.fail(() -&gt; new IOException("injected")).everyNth(10), "write");
 * </pre>
 *
 * A delayed caller that is interrupted stops waiting, keeps its interrupt status and goes on with
 * the call. An exception that the method cannot throw (a checked exception it does not declare) is
 * refused, reported as the injector's failure, and the call goes on.
 */
public final class FaultInjector implements Wrapper {

    private final Duration delay;
    private final Supplier<? extends Throwable> failure;
    private final long every;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    private FaultInjector(Duration delay, Supplier<? extends Throwable> failure, long every) {
        this.delay = delay;
        this.failure = failure;
        this.every = every;
    }

    /** Delays every call by {@code delay}. */
    public static FaultInjector delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay " + delay + " is negative");
        }
        return new FaultInjector(delay, null, 1);
    }

    /** Ends every call with a new exception from {@code failure}. */
    public static FaultInjector fail(Supplier<? extends Throwable> failure) {
        return new FaultInjector(Duration.ZERO, Objects.requireNonNull(failure, "failure"), 1);
    }

    /** This injector, acting on every {@code n}th call only (the {@code n}th, {@code 2n}th, ...). */
    public FaultInjector everyNth(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("every " + n + "th call: n must be at least 1");
        }
        return new FaultInjector(delay, failure, n);
    }

    /** This injector, also delaying each affected call by {@code extra}. */
    public FaultInjector andDelay(Duration extra) {
        Objects.requireNonNull(extra, "extra");
        if (extra.isNegative()) {
            throw new IllegalArgumentException("delay " + extra + " is negative");
        }
        return new FaultInjector(delay.plus(extra), failure, every);
    }

    @Override
    public Object preCall(Call call) {
        if (calls.incrementAndGet() % every != 0) {
            return null;
        }
        injected.incrementAndGet();
        if (!delay.isZero()) {
            pause();
        }
        if (failure != null) {
            call.abort(failure.get());
        }
        return null;
    }

    private void pause() {
        long deadline = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.currentThread().isInterrupted()) {
                return; // the interrupt status stays set for the caller
            }
        }
    }

    @Override
    public boolean hasPostCall() {
        return false;
    }

    /** Calls whose fault was injected so far. */
    public long injected() {
        return injected.get();
    }

    @Override
    public String name() {
        return "faults(" + (delay.isZero() ? "" : "delay " + delay.toMillis() + " ms")
                + (failure != null ? (delay.isZero() ? "" : ", ") + "fail" : "") + (every == 1 ? "" : ", every " + every) + ")";
    }
}

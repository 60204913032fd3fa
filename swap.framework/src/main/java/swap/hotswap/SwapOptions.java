package swap.hotswap;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a swap is carried out: how long each try may hold callers and transfer state, how many
 * tries, the back-off between them, how long a request waits behind another swap of the same
 * entry, and where asynchronous swaps run. Immutable; each {@code with...} returns a copy.
 *
 * <p>Defaults: timeout 500 ms per try, 3 tries, back-off 10 ms doubling up to 500 ms, queue
 * timeout 10 s, longest a caller may be held 30 s, the table's own executor.
 */
public final class SwapOptions {

    private static final SwapOptions DEFAULTS = new SwapOptions(Duration.ofMillis(500), 3, Duration.ofMillis(10),
            Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30), null);

    private final Duration timeout;
    private final int tries;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration queueTimeout;
    private final Duration maxHold;
    private final Executor executor;

    private SwapOptions(Duration timeout, int tries, Duration backoff, Duration maxBackoff, Duration queueTimeout,
            Duration maxHold, Executor executor) {
        this.timeout = positive(timeout, "timeout");
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1, was " + tries);
        }
        this.tries = tries;
        this.backoff = notNegative(backoff, "backoff");
        this.maxBackoff = notNegative(maxBackoff, "maxBackoff");
        this.queueTimeout = notNegative(queueTimeout, "queueTimeout");
        this.maxHold = positive(maxHold, "maxHold");
        this.executor = executor;
    }

    /** The defaults. */
    public static SwapOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How long one try may take from installing the mediator to committing (draining earlier
     * calls, holding new ones, transferring state) before it rolls back.
     *
     * @throws IllegalArgumentException if not positive
     */
    public SwapOptions withTimeout(Duration timeout) {
        return new SwapOptions(timeout, tries, backoff, maxBackoff, queueTimeout, maxHold, executor);
    }

    /** How many tries before the swap fails. @throws IllegalArgumentException if less than 1 */
    public SwapOptions withTries(int tries) {
        return new SwapOptions(timeout, tries, backoff, maxBackoff, queueTimeout, maxHold, executor);
    }

    /** The pause after the first failed try, doubling after each, up to {@code max}. */
    public SwapOptions withBackoff(Duration first, Duration max) {
        return new SwapOptions(timeout, tries, first, max, queueTimeout, maxHold, executor);
    }

    /** How long a request waits while another swap of the same entry is in progress. */
    public SwapOptions withQueueTimeout(Duration queueTimeout) {
        return new SwapOptions(timeout, tries, backoff, maxBackoff, queueTimeout, maxHold, executor);
    }

    /**
     * The longest a caller may be held by a swap; a caller held longer fails with a
     * {@link SwapException} naming the entry and the phase (it never happens unless a component
     * hangs in {@code exportState}).
     */
    public SwapOptions withMaxHold(Duration maxHold) {
        return new SwapOptions(timeout, tries, backoff, maxBackoff, queueTimeout, maxHold, executor);
    }

    /** Where asynchronous swaps run ({@code null}: the table's own threads). */
    public SwapOptions withExecutor(Executor executor) {
        return new SwapOptions(timeout, tries, backoff, maxBackoff, queueTimeout, maxHold, executor);
    }

    public Duration timeout() {
        return timeout;
    }

    public int tries() {
        return tries;
    }

    public Duration backoff() {
        return backoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public Duration queueTimeout() {
        return queueTimeout;
    }

    public Duration maxHold() {
        return maxHold;
    }

    /** The executor of asynchronous swaps, or {@code null} for the table's own threads. */
    public Executor executor() {
        return executor;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    private static Duration notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "SwapOptions[timeout " + timeout.toMillis() + " ms, " + tries + " tries, backoff " + backoff.toMillis()
                + ".." + maxBackoff.toMillis() + " ms, queue " + queueTimeout.toMillis() + " ms, max hold "
                + maxHold.toMillis() + " ms]";
    }
}

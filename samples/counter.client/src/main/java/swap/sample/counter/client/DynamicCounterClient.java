package swap.sample.counter.client;

/**
 * The service of {@link DynamicClient}: a second sample client of the counter, whose reference
 * is dynamic. Its own interface (not {@link swap.sample.counter.CounterClient}), so that a
 * lookup of {@code CounterClient} still finds exactly one service, the static {@link Client}.
 */
public interface DynamicCounterClient {

    /** Increments the counter bound now; {@link IllegalStateException} if none is bound. */
    long increment();

    /** The version of the counter provider bound now; {@link IllegalStateException} if none is bound. */
    String version();
}

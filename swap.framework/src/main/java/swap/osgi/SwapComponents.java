package swap.osgi;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.ott.Entry;

/**
 * Many-instance swap components, as an OSGi service of the swap framework.
 *
 * <p>A provider registers a {@link swap.hotswap.ComponentFactory} service with the properties
 * {@value #COMPONENT} (the component's name), {@value #IMPL} (the implementation's name, e.g.
 * {@code shared}) and any characteristics (e.g. {@code fcm.optimized.for=sequential}). Clients
 * ask this service for instances and hold the entries' stubs. The framework remembers which
 * factory made each instance: when a factory of the same component and implementation from a
 * newer bundle version registers (installed side by side, or the same bundle after an update),
 * every instance of the old one is swapped to a new instance of the new one, with its state; while
 * a factory's bundle is being updated, its instances are parked (callers held, state kept) until
 * the new factory comes.
 *
 * <p>Thread-safe; every method may block for as long as a swap takes (bounded by its options).
 */
@ProviderType
public interface SwapComponents {

    /** Service property of a factory: the component's name. */
    String COMPONENT = "swap.component";
    /** Service property of a factory: the implementation's name. */
    String IMPL = "swap.impl";
    /**
     * Service property of a singleton provider ({@code true}): while its bundle is updated or
     * stopped and no other provider is there, the framework serves the component from a
     * <em>stand-in</em> — a new instance of the departing provider's class, made with its public
     * no-argument constructor, that imports the departing instance's state — instead of holding
     * the callers, until a provider registers (the stand-in's state then moves to it) or the hold
     * bound ({@code patch.hold.millis}) passes (the component is then parked and unavailable, as
     * without a stand-in). Only for implementations that serve from their state alone: a
     * stand-in is not activated by Declarative Services and has no references.
     */
    String STANDIN = "swap.standin";

    /**
     * A new instance of {@code component}, from the best factory whose service properties match
     * {@code filter}: highest {@code service.ranking}, then highest bundle version.
     *
     * @param filter an LDAP filter over the factories' service properties, or {@code null} for any
     * @throws IllegalArgumentException if the filter is malformed, no factory of the component
     *         matches it, or the instance made does not implement {@code type}; nothing is registered
     * @throws IllegalStateException if the factory throws (its exception is the cause)
     */
    <T> Entry<T> create(Class<T> type, String component, String filter);

    /**
     * Swaps an instance made here to a new instance from the best factory of its component that
     * matches {@code filter}; the instance then belongs to that factory (later patches of it move it).
     *
     * @throws IllegalArgumentException if the entry was not made here, the filter is malformed or
     *         matches no factory of the component
     * @throws SwapException if the swap failed or was refused (the entry keeps its instance)
     */
    SwapResult swap(Entry<?> entry, String filter, SwapOptions options, String reason);

    /**
     * What {@link #swap} would do with the same arguments, without changing anything: the factory
     * it would use, the protocol it would negotiate, or why it would be refused. The factory is
     * asked for one instance, which is then {@linkplain swap.transfer.Transferable#abandoned()
     * abandoned}.
     *
     * @throws IllegalArgumentException as {@link #swap} does
     */
    SwapPlan plan(Entry<?> entry, String filter);

    /** The ids of the live entries made here for {@code component}, sorted. */
    List<String> instances(String component);

    /**
     * The service properties of the factory that made the instance {@code entry} holds now (an
     * unmodifiable copy): what a policy asks to learn whether an instance already has the
     * characteristics it wants, e.g. {@code fcm.optimized.for}. Empty if the entry was not made
     * here, was removed, or is parked waiting for a factory.
     */
    Map<String, Object> properties(Entry<?> entry);

    /**
     * Calls {@code listener} with every live instance of {@code component}: first those that
     * exist now, then each new one as it is made, until the returned handle is closed. A new
     * instance is handed to the listener on the thread that {@linkplain #create creates} it,
     * before {@code create} returns, so a monitor the listener attaches sees the instance's first
     * call; the listener must be quick and must not call back into {@code create}. A listener that
     * throws is logged and kept. Closing the handle is idempotent; after it returns, the listener
     * is not called again.
     */
    AutoCloseable watch(String component, Consumer<Entry<?>> listener);

    /**
     * Pins a singleton component to the provider from bundle {@code bundleId}: it serves whatever
     * the rankings and versions of other providers (swapped to now, with state, if it does not
     * already). The pin lasts until {@link #unpin}; if the pinned provider goes away, the usual
     * order applies until it comes back.
     *
     * @throws IllegalArgumentException if there is no such singleton component, or that bundle
     *         provides none for it; nothing changed
     * @throws SwapException if the swap to the pinned provider failed (the pin stays; the running
     *         provider serves)
     */
    void pin(String component, long bundleId);

    /** Removes a pin: the best provider by ranking, then version, serves again. Idempotent. */
    void unpin(String component);
}

package swap.ott;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import swap.hotswap.ComponentFactory;
import swap.hotswap.SwapResult;

/**
 * A table of component instances, each reached through an {@link Entry}.
 *
 * <p>Registering an instance under an interface creates an entry with a stable id and a
 * {@linkplain Entry#stub() stub}: an object that implements the interface and forwards each call
 * to whatever the entry holds at the time of the call (the instance, the instance behind
 * interposed wrappers, or, during a swap, a mediator). Clients hold the stub.
 *
 * <h2>Threads and memory effects</h2>
 * All methods may be called from any thread at any time, concurrently with calls through any
 * stub. {@link #register} happens-before every call through the returned entry's stub that
 * starts after the stub was obtained. A {@link #remove} happens-before {@link #lookup} and
 * {@link #list} calls that no longer return the entry. {@link #list} is weakly consistent: it
 * reflects the entries present at some point during the call, and each snapshot is a moment's
 * view of one entry.
 *
 * <h2>Progress</h2>
 * Registering, looking up, listing and removing never wait for a call through a stub, and a call
 * through a stub never waits for them.
 */
@ProviderType
public interface ObjectTranslationTable {

    /**
     * Registers {@code instance} under {@code type} with an id made from the interface's simple
     * name and a sequence number ({@code "Greeter/1"}).
     *
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code type} is not a public interface, or
     *         {@code instance} does not implement it; the table is unchanged
     */
    <T> Entry<T> register(Class<T> type, T instance);

    /**
     * Registers {@code instance} under {@code type} with the given id.
     *
     * @param id the entry's id: non-empty, no whitespace, unique within the table
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the id is malformed or already used, {@code type} is
     *         not a public interface, or {@code instance} does not implement it; the table is
     *         unchanged
     */
    <T> Entry<T> register(String id, Class<T> type, T instance);

    /** The entry with this id, if it is registered. */
    Optional<Entry<?>> lookup(String id);

    /**
     * The entry with this id, if it is registered, typed.
     *
     * @throws IllegalArgumentException if the entry exists under another interface
     */
    <T> Optional<Entry<T>> lookup(String id, Class<T> type);

    /** A snapshot of every entry, ordered by id. */
    List<EntryDTO> list();

    /**
     * Removes the entry with this id (see {@link Entry#remove()}).
     *
     * @return whether an entry was removed
     */
    boolean remove(String id);

    /**
     * Registers a factory of instances of {@code type} under a name, for swap targets
     * ({@link swap.hotswap.SwapTarget#factory}) and {@link #create}.
     *
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the name is malformed or already used, or {@code type}
     *         is not a public interface
     */
    <T> void registerFactory(String name, Class<T> type, ComponentFactory<? extends T> factory);

    /**
     * Forgets the factory with this name. Entries it made keep their instances; a later null
     * swap of such an entry uses the implementation's no-argument constructor.
     *
     * @return whether a factory was registered under the name
     */
    boolean unregisterFactory(String name);

    /** The names of the registered factories, sorted. */
    List<String> factories();

    /**
     * Registers an instance made by the named factory (remembered for null swaps).
     *
     * @throws IllegalArgumentException if there is no such factory, it makes instances of another
     *         interface, or the id is malformed or taken; the table is unchanged
     * @throws IllegalStateException if the factory fails (its exception is the cause)
     */
    <T> Entry<T> create(String id, Class<T> type, String factory);

    /**
     * The most recent swap requests of every entry, oldest first (a bounded history: the oldest
     * records are dropped first).
     */
    List<SwapResult> history();
}

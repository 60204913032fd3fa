package swap.ott;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

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
}

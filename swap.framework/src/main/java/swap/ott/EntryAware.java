package swap.ott;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component instance that wants to know the entry it serves: K42's object that hands out its
 * clustered-object reference rather than a pointer to itself.
 *
 * <p>An instance that gives a reference to itself to someone else (a callback registered with a
 * service, a handle kept by a pool) should give the entry's {@linkplain Entry#stub() stub}, not
 * {@code this}: calls through the stub reach whichever instance the entry holds at the time,
 * through the swap mediator, so they are never made on an instance that is being swapped out or
 * has been; a call on {@code this} from outside could run on the old instance while its state
 * moves.
 *
 * <p>The framework calls {@link #boundTo} once per entry the instance is about to serve, before
 * any call reaches it through that entry:
 * <ul>
 *   <li>on {@linkplain ObjectTranslationTable#register registration} (and on
 *       {@linkplain ObjectTranslationTable#create creation} by a factory), before the entry is
 *       returned;
 *   <li>on a hot swap, on the replacement, before the state transfer is negotiated (so before
 *       {@link swap.transfer.Transferable#importState}). If the swap then rolls back the
 *       replacement is abandoned and never called through the entry.
 * </ul>
 */
@ConsumerType
public interface EntryAware {

    /**
     * This instance is about to serve {@code entry}. It must not call through the entry's stub from
     * here (the entry may be in the middle of a swap that waits for this method).
     *
     * @throws RuntimeException to refuse: a registration fails with {@link IllegalArgumentException}
     *         and registers nothing; a swap's try fails in its creation phase, the entry unchanged
     */
    void boundTo(Entry<?> entry);
}

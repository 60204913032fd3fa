package swap.ott;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;

/**
 * One component instance in an {@link ObjectTranslationTable}, and the stub that reaches it.
 *
 * <h2>The stub</h2>
 * {@link #stub()} returns the one stub of this entry: an instance of a class generated once per
 * interface, implementing every method of the interface (abstract and default, declared and
 * inherited) by forwarding to what the entry holds at the time of the call. Arguments, return
 * values and exceptions (checked or not) pass through unchanged, without wrapping. On a stub:
 * <ul>
 *   <li>{@code equals} and {@code hashCode} are those of the entry: two references to the stub
 *       are equal, a stub is never equal to an instance, and its hash code does not change when
 *       the instance is swapped. Forwarding them would let a swap change a stub's hash code
 *       under a {@code HashMap} that holds it;
 *   <li>{@code toString} describes the stub ({@code "stub of Greeter/1 (com.example.Greeter)"})
 *       without calling the instance;
 *   <li>once the entry is {@linkplain #remove() removed}, every other method throws
 *       {@link IllegalStateException} naming the entry.
 * </ul>
 * The stub's class sees the interface's class loader and the framework's, never the
 * instance's, so holding a stub never keeps an implementation's class loader alive.
 *
 * <h2>Threads and memory effects</h2>
 * All methods may be called from any thread, concurrently with calls through the stub.
 * Attaching a wrapper happens-before every call through the stub that starts after
 * {@link #attach} returns, and such calls run the wrapper; see {@link WrapperHandle#detach()} for
 * the converse. Attaching never waits for calls in progress and never holds a caller; it waits
 * for a swap of the entry in progress to end (as long as the swap's queue timeout).
 *
 * <h2>Hot swap</h2>
 * {@link #swap} replaces the instance while clients call it (K42's mediator; see
 * {@link swap.hotswap}). Calls never fail because of a swap and never see two instances at once:
 * calls that started before reach the old instance, calls that start during the short Blocked
 * and Transfer phases wait and then reach the new instance (or the old one, if the swap rolls
 * back), recursive calls pass. Wrappers stay attached across a swap. A second request for an
 * entry that is being swapped is <em>queued</em> behind it (first come, first served), for at
 * most the request's {@linkplain SwapOptions#queueTimeout() queue timeout}; requests for
 * different entries run in parallel.
 *
 * @param <T> the interface the entry was registered under
 */
@ProviderType
public interface Entry<T> {

    /** The id, stable for the entry's lifetime. */
    String id();

    /** The interface the entry was registered under. */
    Class<T> type();

    /** The stub that clients hold (always the same object for this entry). */
    T stub();

    /** A snapshot of the entry now. */
    EntryDTO snapshot();

    /**
     * Interposes {@code wrapper} on every method of the interface. Wrappers stack: the one
     * attached last is outermost ({@link Wrapper#preCall} first, {@link Wrapper#postCall} last).
     *
     * @return the handle that detaches exactly this attachment
     * @throws NullPointerException if {@code wrapper} is {@code null}
     * @throws IllegalStateException if the entry was removed
     */
    WrapperHandle attach(Wrapper wrapper);

    /**
     * Interposes {@code wrapper} on the named methods only (all overloads of each name).
     *
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if no name is given, or the interface has no method of a
     *         given name; nothing is attached
     * @throws IllegalStateException if the entry was removed
     */
    WrapperHandle attach(Wrapper wrapper, String... methods);

    /**
     * Swaps the entry's instance for {@code target}, on the calling thread; returns once the swap
     * committed.
     *
     * @param reason why the swap is asked for, kept in the history (may be {@code null})
     * @throws SwapException if every try failed (the entry holds the old instance) or the swap was
     *         refused before anything changed (no common state transfer protocol, a replacement of
     *         another interface)
     * @throws IllegalArgumentException if the target names no registered factory, or a factory of
     *         another interface; nothing changed
     * @throws IllegalStateException if the entry was removed; nothing changed
     */
    SwapResult swap(SwapTarget<T> target, SwapOptions options, String reason);

    /** {@link #swap(SwapTarget, SwapOptions, String)} without a reason. */
    SwapResult swap(SwapTarget<T> target, SwapOptions options);

    /**
     * {@link #swap(SwapTarget, SwapOptions, String)} on the options' executor (or the table's
     * threads); the stage completes exceptionally with the same exceptions.
     */
    CompletionStage<SwapResult> swapAsync(SwapTarget<T> target, SwapOptions options, String reason);

    /** The most recent swap requests of this entry, oldest first. */
    List<SwapResult> history();

    /**
     * Removes the entry from its table. Calls in progress complete on the instance; calls that
     * start afterwards through the stub throw {@link IllegalStateException}. Idempotent.
     */
    void remove();

    /** Whether the entry was removed. */
    boolean isRemoved();
}

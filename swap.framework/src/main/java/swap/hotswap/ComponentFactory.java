package swap.hotswap;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes instances of one implementation of a component interface, registered under a name with
 * {@link swap.ott.ObjectTranslationTable#registerFactory}: a swap target can then be named
 * ({@link SwapTarget#factory}), and a null swap of an entry made by a factory gets a fresh
 * instance from it.
 *
 * @param <T> the component interface
 */
@ConsumerType
@FunctionalInterface
public interface ComponentFactory<T> {

    /**
     * A new instance. Called on the swapping thread, once per try of a swap.
     *
     * @throws Exception to fail this try of the swap (it is retried, then reported)
     */
    T create() throws Exception;
}

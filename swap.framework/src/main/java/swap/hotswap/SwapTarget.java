package swap.hotswap;

import java.util.Objects;

/**
 * What an entry is swapped to: a given instance, a new instance from a named factory, or a fresh
 * instance of the implementation it holds (a null swap: K42's rejuvenation, and the mechanism's
 * benchmark).
 *
 * @param <T> the component interface
 */
public final class SwapTarget<T> {

    /** The kinds of target. */
    public enum Kind {
        INSTANCE,
        FACTORY,
        FRESH
    }

    private final Kind kind;
    private final T instance;
    private final String factory;

    private SwapTarget(Kind kind, T instance, String factory) {
        this.kind = kind;
        this.instance = instance;
        this.factory = factory;
    }

    /**
     * This instance. If the swap is retried, the same instance is used (and imports the state
     * again); {@link swap.transfer.Transferable#abandoned()} is called once, if the swap fails.
     */
    public static <T> SwapTarget<T> instance(T instance) {
        return new SwapTarget<>(Kind.INSTANCE, Objects.requireNonNull(instance, "instance"), null);
    }

    /** A new instance from the factory registered under this name, one per try. */
    public static <T> SwapTarget<T> factory(String name) {
        return new SwapTarget<>(Kind.FACTORY, null, Objects.requireNonNull(name, "factory name"));
    }

    /**
     * A fresh instance of the implementation the entry holds: from the factory that made it, or
     * else from the implementation's public no-argument constructor.
     */
    public static <T> SwapTarget<T> fresh() {
        return new SwapTarget<>(Kind.FRESH, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The instance of an {@link Kind#INSTANCE} target, else {@code null}. */
    public T instance() {
        return instance;
    }

    /** The factory name of a {@link Kind#FACTORY} target, else {@code null}. */
    public String factory() {
        return factory;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case INSTANCE -> "instance of " + instance.getClass().getName();
            case FACTORY -> "factory " + factory;
            case FRESH -> "a fresh instance";
        };
    }
}

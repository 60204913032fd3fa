package swap.internal.stub;

import swap.internal.interpose.Chain;

/**
 * Superclass of every generated interposer: K42's generic interposer, one class per interface.
 * An interposer stands in an entry in place of the instance ({@link #delegate}); each generated
 * method runs the wrappers of its {@link #chain} around the call to the delegate, or calls the
 * delegate directly when no wrapper applies to that method. Immutable: attaching or detaching
 * a wrapper installs a new interposer.
 */
public abstract class InterposerBase {

    protected final Object delegate;
    protected final Chain chain;

    protected InterposerBase(Object delegate, Chain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    public final Object delegate() {
        return delegate;
    }

    public final Chain chain() {
        return chain;
    }

    @Override
    public final String toString() {
        return "interposer of " + chain;
    }
}

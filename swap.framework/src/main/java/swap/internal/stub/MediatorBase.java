package swap.internal.stub;

import swap.internal.hotswap.Mediator;

/**
 * Superclass of every generated mediator: what an entry holds during one try of a hot swap. Each
 * generated method asks the {@link Mediator} where the call goes (tracking it, holding it, or
 * letting it pass), calls that target and tells the mediator when the call is over:
 *
 * <pre>
 * public R m(A a) {
 *     Mediator md = this.mediator;
 *     long ticket = md.admit();                 // may hold the caller (Blocked, Transfer)
 *     try {
 *         return ((Foo) md.target(ticket)).m(a);   // old or new target
 *     } finally {
 *         md.leave(ticket);                     // a tracked call is over
 *     }
 * }
 * </pre>
 */
public abstract class MediatorBase {

    protected final Mediator mediator;

    protected MediatorBase(Mediator mediator) {
        this.mediator = mediator;
    }

    public final Mediator mediator() {
        return mediator;
    }

    @Override
    public final String toString() {
        return "mediator of " + mediator;
    }
}

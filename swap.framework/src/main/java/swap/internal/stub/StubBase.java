package swap.internal.stub;

import swap.internal.ott.EntryImpl;

/**
 * Superclass of every generated stub. A stub is the client's reference to an entry; there is
 * exactly one per entry, so the identity {@code equals} and {@code hashCode} inherited from
 * {@code Object} are those of the entry and never change when the instance is swapped.
 */
public abstract class StubBase {

    /** The entry this stub forwards through; read by the generated methods. */
    protected final EntryImpl<?> entry;

    protected StubBase(EntryImpl<?> entry) {
        this.entry = entry;
    }

    /** The entry behind a stub, or {@code null} if {@code object} is not a stub. */
    public static EntryImpl<?> entryOf(Object object) {
        return object instanceof StubBase ? ((StubBase) object).entry : null;
    }

    @Override
    public final String toString() {
        return "stub of " + entry.id() + " (" + entry.type().getName() + ")";
    }
}

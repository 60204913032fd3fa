package swap.internal.interpose;

import java.util.ArrayList;
import java.util.List;
import swap.internal.stub.InterfaceModel;

/**
 * The wrappers an interposer runs, outermost first, and for each method of the interface the
 * ones that apply to it. Immutable; shared by every call through the interposer that holds it.
 *
 * <p>A chain may also stand for a removed entry: then every call fails in {@link #begin} with an
 * {@link IllegalStateException} naming the entry.
 */
public final class Chain {

    final String entryId;
    final InterfaceModel model;
    private final Attachment[] all;
    private final Attachment[][] byMethod;
    private final boolean removed;

    private Chain(String entryId, InterfaceModel model, Attachment[] all, boolean removed) {
        this.entryId = entryId;
        this.model = model;
        this.all = all;
        this.removed = removed;
        this.byMethod = new Attachment[model.methodCount()][];
        for (int i = 0; i < byMethod.length; i++) {
            String name = model.method(i).getName();
            List<Attachment> applicable = new ArrayList<>();
            for (Attachment a : all) {
                if (a.methods.isEmpty() || a.methods.contains(name)) {
                    applicable.add(a);
                }
            }
            byMethod[i] = applicable.toArray(Attachment[]::new);
        }
    }

    /** A chain of wrappers, outermost first. */
    public static Chain of(String entryId, InterfaceModel model, List<Attachment> outermostFirst) {
        return new Chain(entryId, model, outermostFirst.toArray(Attachment[]::new), false);
    }

    /** The chain of a removed entry. */
    public static Chain removed(String entryId, InterfaceModel model) {
        return new Chain(entryId, model, new Attachment[0], true);
    }

    /** Whether a call of method {@code index} goes through {@link #begin} (else straight to the delegate). */
    public boolean wraps(int index) {
        return removed || byMethod[index].length != 0;
    }

    /**
     * Runs the preCalls of method {@code index}, outermost first, and returns the call to make.
     * If a wrapper {@linkplain swap.interpose.Call#abort aborts}, runs the postCalls of the
     * wrappers whose preCall ran and throws the abort's exception.
     */
    public CallImpl begin(int index, Object[] args) {
        if (removed) {
            throw new IllegalStateException("entry " + entryId + " was removed");
        }
        CallImpl call = new CallImpl(this, index, args, byMethod[index]);
        call.runPreCalls();
        return call;
    }

    /** The attachments, outermost first. */
    public List<Attachment> attachments() {
        return List.of(all);
    }

    public boolean isRemoved() {
        return removed;
    }

    @Override
    public String toString() {
        return entryId + (removed ? " (removed)" : " " + List.of(all));
    }
}

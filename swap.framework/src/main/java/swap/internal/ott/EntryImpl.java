package swap.internal.ott;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.internal.interpose.Attachment;
import swap.internal.interpose.Chain;
import swap.internal.quiesce.CallStack;
import swap.internal.quiesce.GenerationCounter;
import swap.internal.stub.InterfaceModel;
import swap.internal.stub.InterposerBase;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.Mode;

/**
 * An OTT entry: the {@link #target()} that calls through the stub go to, and the state it is
 * derived from.
 */
public final class EntryImpl<T> implements Entry<T> {

    /*
     * The hot path (generated stub): enter() then target(), nothing else. target is one
     * volatile field holding whatever calls must reach:
     *   - the instance                                  (no wrapper: Mode.DIRECT)
     *   - an interposer(instance, chain of wrappers)    (Mode.INTERPOSED)
     *   - an interposer(null, removed chain)            (Mode.REMOVED: calls fail)
     * Changes (attach, detach, remove) are rare: they serialize on this entry's monitor, compute
     * the new target and publish it with one volatile store. Callers never take the monitor,
     * so a change never holds a caller, and a caller never delays a change.
     *
     * Invariant (under the monitor): target == removed ? tombstone
     *                                         : wrappers.isEmpty() ? instance
     *                                         : interposer(instance, Chain.of(wrappers))
     */

    private final TableImpl table;
    private final String id;
    private final Class<T> type;
    private final InterfaceModel model;
    private final GenerationCounter counter;
    private final T stub;

    /** What calls go to; the only field the stub reads. */
    private volatile Object target;

    /** Guarded by this. */
    private Object instance;
    /** Outermost first. Guarded by this. */
    private List<Attachment> wrappers = List.of();
    /** Guarded by this; also read without the lock (volatile). */
    private volatile boolean removed;

    EntryImpl(TableImpl table, String id, Class<T> type, InterfaceModel model, GenerationCounter counter, T instance) {
        this.table = table;
        this.id = id;
        this.type = type;
        this.model = model;
        this.counter = counter;
        this.instance = instance;
        this.target = instance;
        this.stub = type.cast(model.newStub(this));
    }

    /** Enters a call through this entry (generated stub only). */
    public CallStack enter() {
        return counter.enter();
    }

    /** What calls go to now (generated stub only). */
    public Object target() {
        return target;
    }

    /** The entry's quiescence mechanism. */
    public GenerationCounter counter() {
        return counter;
    }

    public InterfaceModel model() {
        return model;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public T stub() {
        return stub;
    }

    /** The instance the entry holds (behind any wrappers); {@code null} once removed. */
    public synchronized Object instance() {
        return instance;
    }

    @Override
    public WrapperHandle attach(Wrapper wrapper) {
        return attach(wrapper, Set.of());
    }

    @Override
    public WrapperHandle attach(Wrapper wrapper, String... methods) {
        Objects.requireNonNull(methods, "methods");
        if (methods.length == 0) {
            throw new IllegalArgumentException("entry " + id + ": no method named to attach " + nameOf(wrapper) + " to");
        }
        Set<String> names = new LinkedHashSet<>(Arrays.asList(methods));
        for (String name : names) {
            if (model.indexesOf(Objects.requireNonNull(name, "method name")) == null) {
                throw new IllegalArgumentException("entry " + id + ": " + type.getName() + " has no method " + name
                        + " (it has " + model.methodNames() + ")");
            }
        }
        return attach(wrapper, names);
    }

    private WrapperHandle attach(Wrapper wrapper, Set<String> methods) {
        Objects.requireNonNull(wrapper, "wrapper");
        Attachment attachment = new Attachment(wrapper, methods);
        synchronized (this) {
            checkNotRemoved("attach " + nameOf(wrapper));
            List<Attachment> next = new ArrayList<>(wrappers.size() + 1);
            next.add(attachment); // the last attached is outermost
            next.addAll(wrappers);
            install(instance, next);
        }
        return new Handle(attachment);
    }

    private synchronized void detach(Attachment attachment) {
        checkNotRemoved("detach " + attachment.wrapper().name());
        if (!wrappers.contains(attachment)) {
            throw new IllegalStateException("entry " + id + ": wrapper " + attachment + " was already detached");
        }
        List<Attachment> next = new ArrayList<>(wrappers);
        next.remove(attachment);
        install(instance, next);
    }

    private synchronized boolean isAttached(Attachment attachment) {
        return !removed && wrappers.contains(attachment);
    }

    /** Guarded by this. Sets the state and publishes the target derived from it. */
    private void install(Object newInstance, List<Attachment> newWrappers) {
        instance = newInstance;
        wrappers = List.copyOf(newWrappers);
        target = wrappers.isEmpty() ? newInstance : model.newInterposer(newInstance, Chain.of(id, model, wrappers));
    }

    @Override
    public void remove() {
        synchronized (this) {
            if (removed) {
                return;
            }
            removed = true;
            instance = null;
            wrappers = List.of();
            target = model.newInterposer(null, Chain.removed(id, model));
        }
        table.forget(this);
    }

    @Override
    public boolean isRemoved() {
        return removed;
    }

    @Override
    public synchronized EntryDTO snapshot() {
        EntryDTO dto = new EntryDTO();
        dto.id = id;
        dto.type = type.getName();
        dto.calls = counter.calls();
        dto.wrappers = wrappers.stream().map(a -> nameOf(a.wrapper())).toList();
        if (removed) {
            dto.mode = Mode.REMOVED;
            return dto;
        }
        dto.mode = target instanceof InterposerBase ? Mode.INTERPOSED : Mode.DIRECT;
        Class<?> implementation = instance.getClass();
        dto.implementation = implementation.getName();
        Origin origin = table.originOf(implementation);
        if (origin != null) {
            dto.bundle = origin.bundle();
            dto.bundleVersion = origin.version();
        }
        return dto;
    }

    private void checkNotRemoved(String action) {
        if (removed) {
            throw new IllegalStateException("entry " + id + " was removed; cannot " + action);
        }
    }

    private static String nameOf(Wrapper wrapper) {
        try {
            return wrapper.name();
        } catch (RuntimeException e) {
            return wrapper.getClass().getName();
        }
    }

    @Override
    public String toString() {
        return "Entry[" + id + ", " + type.getName() + (removed ? ", removed" : "") + "]";
    }

    /** Detaches exactly one attachment. */
    private final class Handle implements WrapperHandle {
        private final Attachment attachment;

        Handle(Attachment attachment) {
            this.attachment = attachment;
        }

        @Override
        public Wrapper wrapper() {
            return attachment.wrapper();
        }

        @Override
        public Set<String> methods() {
            return attachment.methods();
        }

        @Override
        public String entryId() {
            return id;
        }

        @Override
        public boolean isAttached() {
            return EntryImpl.this.isAttached(attachment);
        }

        @Override
        public void detach() {
            EntryImpl.this.detach(attachment);
        }

        @Override
        public String toString() {
            return attachment + " on " + id;
        }
    }
}

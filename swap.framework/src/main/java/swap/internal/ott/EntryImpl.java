package swap.internal.ott;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import swap.hotswap.ComponentFactory;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.internal.hotswap.Mediator;
import swap.internal.hotswap.Swapper;
import swap.internal.interpose.Attachment;
import swap.internal.interpose.Chain;
import swap.internal.quiesce.CallStack;
import swap.internal.quiesce.GenerationCounter;
import swap.internal.stub.InterfaceModel;
import swap.internal.stub.InterposerBase;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.Mode;
import swap.transfer.Transferable;

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
     *   - a mediator(in front of one of the above)      (a swap in progress: Mode.SWAPPING)
     *   - an interposer(null, removed chain)            (Mode.REMOVED: calls fail)
     * Changes (attach, detach, remove, a swap's install, commit and rollback) are rare: they
     * serialize on this entry's monitor, compute the new target and publish it with one volatile
     * store. Callers never take the monitor, so a change never holds a caller, and a caller never
     * delays a change. Swap requests, and attach, detach and remove, also take the entry's swap
     * permit, so that none of them runs while a swap is in progress (they queue, bounded).
     *
     * Invariant (under the monitor): target == removed ? tombstone
     *                                         : mediator != null ? mediator object
     *                                         : targetFor(instance)
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
    /** The mediator of the swap in progress, or null. Guarded by this. */
    private Mediator mediator;
    /** The park in progress, so that remove() can give it up; cleared when it ends (it holds the old instance). */
    private volatile Swapper.Parked parked;
    /** The factory that made the instance, if any (for null swaps). Guarded by this. */
    private String factory;
    /** One swap request (or attach, detach, remove) at a time; fair: requests queue in order. */
    private final Semaphore swapPermit = new Semaphore(1, true);

    EntryImpl(TableImpl table, String id, Class<T> type, InterfaceModel model, GenerationCounter counter, T instance,
            String factory) {
        this.table = table;
        this.id = id;
        this.type = type;
        this.model = model;
        this.counter = counter;
        this.instance = instance;
        this.factory = factory;
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
        withPermit("attach " + nameOf(wrapper), () -> {
            synchronized (this) {
                checkNotRemoved("attach " + nameOf(wrapper));
                List<Attachment> next = new ArrayList<>(wrappers.size() + 1);
                next.add(attachment); // the last attached is outermost
                next.addAll(wrappers);
                install(instance, next);
            }
        });
        return new Handle(attachment);
    }

    private void detach(Attachment attachment) {
        withPermit("detach " + attachment.wrapper().name(), () -> {
            synchronized (this) {
                checkNotRemoved("detach " + attachment.wrapper().name());
                if (!wrappers.contains(attachment)) {
                    throw new IllegalStateException("entry " + id + ": wrapper " + attachment + " was already detached");
                }
                List<Attachment> next = new ArrayList<>(wrappers);
                next.remove(attachment);
                install(instance, next);
            }
        });
    }

    /** Runs a change while no swap is in progress (waiting for one to end, as long as a queue timeout). */
    private void withPermit(String action, Runnable change) {
        Duration wait = SwapOptions.defaults().queueTimeout();
        boolean acquired;
        try {
            acquired = swapPermit.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("entry " + id + ": interrupted while waiting to " + action, e);
        }
        if (!acquired) {
            throw new IllegalStateException("entry " + id + ": a swap has been in progress for " + wait.toMillis()
                    + " ms; cannot " + action);
        }
        try {
            change.run();
        } finally {
            swapPermit.release();
        }
    }

    private synchronized boolean isAttached(Attachment attachment) {
        return !removed && wrappers.contains(attachment);
    }

    /** Guarded by this. Sets the state and publishes the target derived from it. */
    private void install(Object newInstance, List<Attachment> newWrappers) {
        instance = newInstance;
        wrappers = List.copyOf(newWrappers);
        target = targetFor(newInstance);
    }

    /** Guarded by this. What calls go to for this instance: the instance, or an interposer in front of it. */
    private Object targetFor(Object newInstance) {
        return wrappers.isEmpty() ? newInstance : model.newInterposer(newInstance, Chain.of(id, model, wrappers));
    }

    @Override
    public void remove() {
        Swapper.Parked p = parked;
        if (p != null) {
            p.abort("the entry was removed"); // a parked entry holds its permit: give up the park (no-op if it ended)
            parked = null;
            if (removed) {
                return;
            }
        }
        boolean acquired = false;
        try {
            acquired = swapPermit.tryAcquire(SwapOptions.defaults().queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
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
        } finally {
            if (acquired) {
                swapPermit.release();
            }
        }
    }

    // ---- hot swap ----

    /** The mediator of the swap in progress, or {@code null} (diagnostics and tests). */
    public synchronized Mediator mediatorInProgress() {
        return mediator;
    }

    @Override
    public SwapResult swap(SwapTarget<T> target, SwapOptions options) {
        return swap(target, options, null);
    }

    @Override
    public SwapResult swap(SwapTarget<T> swapTarget, SwapOptions options, String reason) {
        Objects.requireNonNull(swapTarget, "target");
        Objects.requireNonNull(options, "options");
        Request request = request(swapTarget);
        acquireSwapPermit(options, "swap it");
        return new Swapper(request, options, reason, table.deadlines()).run();
    }

    /**
     * Takes the swap permit for a swap request, queueing behind the one in progress for at most
     * the options' queue timeout; the caller hands it to its {@link Swapper}, which gives it back.
     */
    private void acquireSwapPermit(SwapOptions options, String action) {
        boolean acquired;
        try {
            acquired = swapPermit.tryAcquire(options.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SwapException("entry " + id + ": interrupted while waiting for another swap to end");
        }
        if (!acquired) {
            throw new SwapException("entry " + id + ": another swap has been in progress for "
                    + options.queueTimeout().toMillis() + " ms (queue timeout)");
        }
        if (removed) {
            swapPermit.release();
            throw new IllegalStateException("entry " + id + " was removed; cannot " + action);
        }
    }

    /**
     * Parks the entry: quiesces it and exports its instance's state, then holds every call until
     * {@link Swapper.Parked#resume} brings a replacement (see {@link Swapper#park}). Internal: the
     * OSGi layer parks an entry whose provider unregisters with no other provider to take over.
     *
     * @param unavailable what a call held longer than {@code options.maxHold()} is told
     */
    public Swapper.Parked park(SwapOptions options, String reason, String unavailable) {
        Objects.requireNonNull(options, "options");
        checkNotRemoved("park it");
        acquireSwapPermit(options, "park it");
        Swapper.Parked p = new Swapper(new Request(() -> null, false, null), options, reason, table.deadlines()).park(unavailable);
        parked = p;
        return p;
    }

    @Override
    public CompletionStage<SwapResult> swapAsync(SwapTarget<T> target, SwapOptions options, String reason) {
        Objects.requireNonNull(options, "options");
        Executor executor = options.executor() != null ? options.executor() : table.executor();
        return CompletableFuture.supplyAsync(() -> swap(target, options, reason), executor);
    }

    @Override
    public List<SwapResult> history() {
        return table.history().stream().filter(r -> id.equals(r.entryId)).toList();
    }

    /** Checks a target before anything changes, and says how each try gets its replacement. */
    private Request request(SwapTarget<T> swapTarget) {
        checkNotRemoved("swap it");
        switch (swapTarget.kind()) {
            case INSTANCE: {
                Object given = swapTarget.instance();
                if (!type.isInstance(given)) {
                    throw new IllegalArgumentException("entry " + id + ": " + given.getClass().getName()
                            + " does not implement " + type.getName());
                }
                return new Request(() -> given, false, null);
            }
            case FACTORY: {
                String name = swapTarget.factory();
                ComponentFactory<?> f = table.factory(name, type);
                return new Request(f::create, true, name);
            }
            case FRESH: {
                String name;
                Object current;
                synchronized (this) {
                    name = factory;
                    current = instance;
                }
                if (name != null && table.hasFactory(name)) {
                    ComponentFactory<?> f = table.factory(name, type);
                    return new Request(f::create, true, name);
                }
                Constructor<?> constructor = noArgumentConstructor(current.getClass());
                return new Request(constructor::newInstance, true, null);
            }
            default:
                throw new IllegalArgumentException("unknown swap target " + swapTarget);
        }
    }

    private Constructor<?> noArgumentConstructor(Class<?> implementation) {
        try {
            Constructor<?> c = implementation.getConstructor();
            if (!Modifier.isPublic(implementation.getModifiers()) || Modifier.isAbstract(implementation.getModifiers())) {
                throw new NoSuchMethodException();
            }
            return c;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("entry " + id + ": cannot make a fresh " + implementation.getName()
                    + ": it was not made by a registered factory and has no public no-argument constructor");
        }
    }

    /** A creation step as a swap sees it. */
    @FunctionalInterface
    private interface Maker {
        Object make() throws Exception;
    }

    /** One swap request on this entry, as its {@link Swapper} sees it. */
    private final class Request implements Swapper.Subject {
        private final Maker maker;
        private final boolean perTry;
        private final String factoryName;

        Request(Maker maker, boolean perTry, String factoryName) {
            this.maker = maker;
            this.perTry = perTry;
            this.factoryName = factoryName;
        }

        @Override
        public Entry<?> entry() {
            return EntryImpl.this;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Class<?> type() {
            return type;
        }

        @Override
        public GenerationCounter counter() {
            return counter;
        }

        @Override
        public Object instance() {
            synchronized (EntryImpl.this) {
                return instance;
            }
        }

        @Override
        public Object create() throws Exception {
            return maker.make();
        }

        @Override
        public boolean createsPerTry() {
            return perTry;
        }

        @Override
        public Mediator install(long maxHoldNanos) {
            synchronized (EntryImpl.this) {
                if (removed) {
                    return null;
                }
                Mediator m = new Mediator(id, counter, table.stacks(), target, maxHoldNanos);
                Object front = model.newMediator(m); // first: if it throws, the entry is unchanged
                mediator = m;
                target = front;
                return m;
            }
        }

        @Override
        public boolean commit(Mediator m, Object replacement) {
            synchronized (EntryImpl.this) { // commit and rollback (also the watchdog's) exclude each other here
                if (mediator != m || m.isTerminal()) {
                    return false;
                }
                Object next = removed ? target : targetFor(replacement); // a removed entry: held calls fail as removed
                m.setNewTarget(next);
                if (!removed) {
                    instance = replacement;
                    factory = factoryName != null ? factoryName : (perTry ? factory : null);
                    target = next;
                }
                mediator = null;
                return m.commit(); // after the entry points at the new target: held calls go there
            }
        }

        @Override
        public boolean rollBack(Mediator m) {
            synchronized (EntryImpl.this) {
                if (mediator == m) {
                    if (!removed) {
                        target = m.oldTarget();
                    }
                    mediator = null;
                }
                return m.rollBack();
            }
        }

        @Override
        public void parkEnded(Object park) {
            if (parked == park) {
                parked = null;
            }
        }

        @Override
        public void removeWhileHeld(Mediator m) {
            synchronized (EntryImpl.this) {
                if (!removed) {
                    removed = true;
                    instance = null;
                    wrappers = List.of();
                    target = model.newInterposer(null, Chain.removed(id, model));
                }
                if (mediator == m) {
                    m.setNewTarget(target); // the tombstone: held calls fail as removed
                    mediator = null;
                    m.commit();
                }
            }
            table.forget(EntryImpl.this);
        }

        @Override
        public void record(SwapResult result) {
            table.record(result);
        }

        @Override
        public void release() {
            swapPermit.release();
        }
    }

    @Override
    public boolean isRemoved() {
        return removed;
    }

    @Override
    public EntryDTO snapshot() {
        EntryDTO dto = new EntryDTO();
        Object current;
        synchronized (this) {
            dto.id = id;
            dto.type = type.getName();
            dto.calls = counter.calls();
            dto.wrappers = wrappers.stream().map(a -> nameOf(a.wrapper())).toList();
            if (removed) {
                dto.mode = Mode.REMOVED;
                return dto;
            }
            dto.mode = mediator != null ? Mode.SWAPPING : target instanceof InterposerBase ? Mode.INTERPOSED : Mode.DIRECT;
            current = instance;
        }
        Class<?> implementation = current.getClass();
        dto.implementation = implementation.getName();
        Origin origin = table.originOf(implementation);
        if (origin != null) {
            dto.bundle = origin.bundle();
            dto.bundleVersion = origin.version();
        }
        if (current instanceof Transferable t) { // component code: asked outside the entry's lock
            try {
                dto.exportProtocols = t.exportProtocols();
                dto.importProtocols = t.importProtocols();
            } catch (RuntimeException e) {
                dto.exportProtocols = null;
                dto.importProtocols = null;
            }
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

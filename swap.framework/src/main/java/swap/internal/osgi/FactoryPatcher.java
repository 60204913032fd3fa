package swap.internal.osgi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.hotswap.ComponentFactory;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.internal.hotswap.Swapper;
import swap.internal.ott.EntryImpl;
import swap.internal.ott.TableImpl;
import swap.osgi.SwapComponents;
import swap.osgi.SwapPlan;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.transfer.Transferable;

/**
 * Many-instance swap components: {@link ComponentFactory} services with {@code swap.component}
 * and {@code swap.impl}, the instances made from them, and their live patches (see
 * {@link SwapComponents}). Factory events and client requests serialize on one lock; a swap runs
 * under it (bounded by its options), so a component must not ask this service for instances from
 * inside a call that a swap is waiting for (that swap would time out and roll back).
 */
final class FactoryPatcher implements SwapComponents, AllServiceListener {

    private static final Logger LOG = LoggerFactory.getLogger(FactoryPatcher.class);
    private static final String FACTORIES = "(&(" + Constants.OBJECTCLASS + "=" + ComponentFactory.class.getName() + ")("
            + COMPONENT + "=*)(" + IMPL + "=*))";

    private final BundleContext context;
    private final TableImpl table;
    private final Supplier<SwapOptions> options;
    private final Object lock = new Object();
    /** Known factories and their service objects. Guarded by lock. */
    private final Map<ServiceReference<?>, ComponentFactory<?>> factories = new LinkedHashMap<>();
    /** Every live instance made here and what made it. Guarded by lock. */
    private final Map<EntryImpl<?>, Made> made = new LinkedHashMap<>();
    private final Map<String, AtomicLong> sequences = new HashMap<>();
    /** Listeners to the instances made here ({@link #watch}). Guarded by lock. */
    private final List<Watcher> watchers = new ArrayList<>();
    private boolean closed;

    /** An instance made here: the factory that made its current instance, and its park if parked. */
    private static final class Made {
        final String component;
        String impl;
        ServiceReference<?> factory;
        Swapper.Parked parked;

        Made(String component, String impl, ServiceReference<?> factory) {
            this.component = component;
            this.impl = impl;
            this.factory = factory;
        }
    }

    private final LivePatcher singletons;

    FactoryPatcher(BundleContext context, TableImpl table, LivePatcher singletons) {
        this.context = context;
        this.table = table;
        this.singletons = singletons;
        this.options = singletons::options;
    }

    @Override
    public void pin(String component, long bundleId) {
        singletons.pin(component, bundleId);
    }

    @Override
    public void unpin(String component) {
        singletons.unpin(component);
    }

    void open() throws InvalidSyntaxException {
        context.addServiceListener(this, FACTORIES);
        ServiceReference<?>[] existing = context.getAllServiceReferences(ComponentFactory.class.getName(), FACTORIES);
        if (existing != null) {
            for (ServiceReference<?> ref : existing) {
                registered(ref);
            }
        }
    }

    void close() {
        context.removeServiceListener(this);
        synchronized (lock) {
            closed = true;
            for (Made m : made.values()) {
                if (m.parked != null) {
                    m.parked.abort("the swap framework is stopping");
                }
            }
            made.clear();
            watchers.forEach(w -> w.closed = true);
            watchers.clear();
            factories.keySet().forEach(context::ungetService);
            factories.clear();
        }
    }

    // ---- clients ----

    @Override
    public <T> Entry<T> create(Class<T> type, String component, String filter) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(component, "component");
        Entry<T> entry;
        List<Watcher> watching;
        synchronized (lock) {
            ServiceReference<?> ref = best(component, null, filter(filter));
            if (ref == null) {
                throw new IllegalArgumentException("component '" + component + "': no factory" + (filter == null ? "" : " matches " + filter));
            }
            Object instance = make(ref);
            if (!type.isInstance(instance)) {
                throw new IllegalArgumentException("component '" + component + "': the factory " + describe(ref) + " made a "
                        + instance.getClass().getName() + ", which does not implement " + type.getName());
            }
            String id;
            do {
                id = component + "/" + sequences.computeIfAbsent(component, c -> new AtomicLong()).incrementAndGet();
            } while (table.lookup(id).isPresent());
            entry = table.register(id, type, type.cast(instance));
            made.put((EntryImpl<?>) entry, new Made(component, impl(ref), ref));
            watching = watchersOf(component);
        }
        for (Watcher w : watching) {
            w.deliver(entry);
        }
        return entry;
    }

    @Override
    public Map<String, Object> properties(Entry<?> entry) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            Made m = made.get(entry);
            if (m == null || entry.isRemoved() || m.parked != null) {
                return Map.of();
            }
            Map<String, Object> properties = new TreeMap<>();
            for (String key : m.factory.getPropertyKeys()) {
                properties.put(key, m.factory.getProperty(key));
            }
            return Collections.unmodifiableMap(properties);
        }
    }

    @Override
    public AutoCloseable watch(String component, Consumer<Entry<?>> listener) {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(listener, "listener");
        Watcher w = new Watcher(component, listener);
        List<Entry<?>> existing;
        synchronized (lock) {
            // under the lock: each instance is either made before (in this list) or sees w in create
            watchers.add(w);
            prune();
            existing = made.entrySet().stream().filter(e -> e.getValue().component.equals(component))
                    .<Entry<?>>map(Map.Entry::getKey).toList();
        }
        existing.forEach(w::deliver);
        return () -> {
            w.closed = true;
            synchronized (lock) {
                watchers.remove(w);
            }
        };
    }

    /** The open watchers of {@code component}. Under the lock. */
    private List<Watcher> watchersOf(String component) {
        return watchers.stream().filter(w -> w.component.equals(component)).toList();
    }

    /** A {@link #watch} listener. */
    private static final class Watcher {
        final String component;
        final Consumer<Entry<?>> listener;
        volatile boolean closed;

        Watcher(String component, Consumer<Entry<?>> listener) {
            this.component = component;
            this.listener = listener;
        }

        void deliver(Entry<?> entry) {
            if (closed) {
                return;
            }
            try {
                listener.accept(entry);
            } catch (RuntimeException e) {
                LOG.error("component '{}': a watcher of its instances failed on {}", component, entry.id(), e);
            }
        }
    }

    @Override
    public SwapResult swap(Entry<?> entry, String filter, SwapOptions swapOptions, String reason) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            Made m = madeHere(entry);
            return swapTo((EntryImpl<?>) entry, m, target(m, filter), swapOptions, reason);
        }
    }

    @Override
    public SwapPlan plan(Entry<?> entry, String filter) {
        Objects.requireNonNull(entry, "entry");
        synchronized (lock) {
            ServiceReference<?> ref = target(madeHere(entry), filter);
            EntryDTO now = entry.snapshot();
            SwapPlan plan = new SwapPlan();
            plan.entryId = entry.id();
            plan.from = now.implementation;
            plan.factory = describe(ref);
            plan.exportProtocols = now.exportProtocols;
            Object candidate = make(ref);
            try {
                plan.to = candidate.getClass().getName();
                if (!entry.type().isInstance(candidate)) {
                    plan.refusal = plan.to + " does not implement " + entry.type().getName();
                } else if (candidate instanceof Transferable t) {
                    plan.importProtocols = t.importProtocols();
                }
                if (plan.refusal == null && now.exportProtocols != null) {
                    long common = plan.importProtocols == null ? 0 : now.exportProtocols & plan.importProtocols;
                    if (common == 0) {
                        plan.refusal = "no common state transfer protocol: " + plan.from + " exports 0x"
                                + Long.toHexString(now.exportProtocols) + ", " + plan.to + " imports "
                                + (plan.importProtocols == null ? "nothing" : "0x" + Long.toHexString(plan.importProtocols));
                    } else {
                        plan.protocol = 63 - Long.numberOfLeadingZeros(common);
                    }
                }
            } finally {
                if (candidate instanceof Transferable t) {
                    t.abandoned();
                }
            }
            return plan;
        }
    }

    @Override
    public List<String> instances(String component) {
        synchronized (lock) {
            prune();
            return made.entrySet().stream().filter(e -> e.getValue().component.equals(component)).map(e -> e.getKey().id())
                    .sorted().toList();
        }
    }

    // ---- factory events ----

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        try {
            switch (event.getType()) {
                case ServiceEvent.REGISTERED -> registered(ref);
                case ServiceEvent.UNREGISTERING, ServiceEvent.MODIFIED_ENDMATCH -> unregistering(ref);
                default -> {
                }
            }
        } catch (RuntimeException e) { // never into the framework's event delivery
            LOG.error("factory {}: handling its {} failed", describe(ref), event.getType() == ServiceEvent.REGISTERED
                    ? "registration" : "unregistration", e);
        }
    }

    private void registered(ServiceReference<?> ref) {
        synchronized (lock) {
            if (closed || factories.containsKey(ref)) {
                return;
            }
            Object service = context.getService(ref);
            if (!(service instanceof ComponentFactory<?> factory)) {
                LOG.error("factory {}: no ComponentFactory service object; ignored", describe(ref));
                if (service != null) {
                    context.ungetService(ref);
                }
                return;
            }
            factories.put(ref, factory);
            prune();
            String component = component(ref);
            String impl = impl(ref);
            for (Map.Entry<EntryImpl<?>, Made> e : made.entrySet()) {
                Made m = e.getValue();
                if (!m.component.equals(component) || !m.impl.equals(impl)) {
                    continue;
                }
                if (m.parked != null) {
                    resume(e.getKey(), m, ref);
                } else if (!ref.equals(m.factory) && LivePatcher.PREFERENCE.compare(ref, m.factory) < 0) {
                    patchTo(e.getKey(), m, ref, SwapEvents.PATCH_REASON + "factory " + describe(ref) + " registered");
                }
            }
        }
    }

    private void unregistering(ServiceReference<?> ref) {
        synchronized (lock) {
            if (factories.remove(ref) == null) {
                return;
            }
            if (singletons.frameworkStopping()) { // nothing to park for: the framework goes down
                context.ungetService(ref);
                return;
            }
            prune();
            for (Map.Entry<EntryImpl<?>, Made> e : made.entrySet()) {
                Made m = e.getValue();
                if (!ref.equals(m.factory) || m.parked != null) {
                    continue;
                }
                String why = SwapEvents.PATCH_REASON + "factory " + describe(ref) + " unregistering";
                ServiceReference<?> next = best(m.component, m.impl, null);
                if (next != null && patchTo(e.getKey(), m, next, why)) {
                    continue;
                }
                try {
                    m.parked = e.getKey().park(options.get(), why, "component '" + m.component + "' (" + m.impl
                            + ") is unavailable: its factory (" + describe(ref) + ") went away and no replacement has registered");
                    m.factory = null;
                } catch (RuntimeException ex) {
                    LOG.error("entry {}: could not park it while its factory {} unregisters", e.getKey().id(), describe(ref), ex);
                }
            }
            context.ungetService(ref);
        }
    }

    // ---- under the lock ----

    /** What made {@code entry}. Under the lock. */
    private Made madeHere(Entry<?> entry) {
        Made m = made.get(entry);
        if (m == null || entry.isRemoved()) {
            throw new IllegalArgumentException("entry " + entry.id() + " was not made by a swap component factory (or was removed)");
        }
        return m;
    }

    /** The best factory of {@code m}'s component matching {@code filter}. Under the lock. */
    private ServiceReference<?> target(Made m, String filter) {
        ServiceReference<?> ref = best(m.component, null, filter(filter));
        if (ref == null) {
            throw new IllegalArgumentException("component '" + m.component + "': no factory matches " + filter);
        }
        return ref;
    }

    /**
     * Swaps to a new instance from {@code ref}. Under the lock.
     *
     * @throws IllegalStateException if the factory fails to make an instance
     * @throws SwapException and the other exceptions of {@link Entry#swap} if the swap fails
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private SwapResult swapTo(EntryImpl<?> entry, Made m, ServiceReference<?> ref, SwapOptions swapOptions, String reason) {
        Object instance;
        try {
            instance = make(ref);
        } catch (RuntimeException e) {
            throw new IllegalStateException("entry " + entry.id() + ": the factory " + describe(ref) + " failed to make an instance", e);
        }
        SwapResult r = ((EntryImpl) entry).swap(SwapTarget.instance(instance), swapOptions, reason);
        m.factory = ref;
        m.impl = impl(ref);
        return r;
    }

    /** A live patch to an instance from {@code ref}: {@link #swapTo}, a failure reported and not thrown. Under the lock. */
    private boolean patchTo(EntryImpl<?> entry, Made m, ServiceReference<?> ref, String reason) {
        try {
            swapTo(entry, m, ref, options.get(), reason);
            return true;
        } catch (SwapException | IllegalArgumentException | IllegalStateException e) {
            LOG.error("entry {}: patch to an instance of {} failed; the running one keeps serving: {}", entry.id(), describe(ref),
                    e.getMessage());
            return false;
        }
    }

    private void resume(EntryImpl<?> entry, Made m, ServiceReference<?> ref) {
        try {
            m.parked.resume(make(ref));
            m.parked = null;
            m.factory = ref;
            LOG.info("entry {}: resumed on a new instance from {}", entry.id(), describe(ref));
        } catch (SwapException | IllegalStateException e) {
            LOG.error("entry {}: the factory {} cannot take over the parked state; still parked: {}", entry.id(), describe(ref),
                    e.getMessage());
        }
    }

    private Object make(ServiceReference<?> ref) {
        ComponentFactory<?> factory = factories.get(ref);
        try {
            Object instance = factory.create();
            if (instance == null) {
                throw new IllegalStateException("the factory " + describe(ref) + " returned null");
            }
            return instance;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the factory " + describe(ref) + " failed: " + e, e);
        }
    }

    /** The best known factory of {@code component} (and {@code impl}, if given) matching {@code filter}. */
    private ServiceReference<?> best(String component, String impl, Filter filter) {
        List<ServiceReference<?>> candidates = new ArrayList<>();
        for (ServiceReference<?> ref : factories.keySet()) {
            if (component.equals(component(ref)) && (impl == null || impl.equals(impl(ref))) && (filter == null || filter.match(ref))) {
                candidates.add(ref);
            }
        }
        candidates.sort(LivePatcher.PREFERENCE);
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private Filter filter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return context.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("malformed filter " + filter + ": " + e.getMessage());
        }
    }

    private void prune() {
        made.keySet().removeIf(EntryImpl::isRemoved);
    }

    private static String component(ServiceReference<?> ref) {
        return String.valueOf(ref.getProperty(COMPONENT));
    }

    private static String impl(ServiceReference<?> ref) {
        return String.valueOf(ref.getProperty(IMPL));
    }

    private static String describe(ServiceReference<?> ref) {
        return component(ref) + "/" + impl(ref) + " of bundle " + LivePatcher.describe(ref.getBundle());
    }
}

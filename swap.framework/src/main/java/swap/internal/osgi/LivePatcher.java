package swap.internal.osgi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
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
import swap.ott.Entry;

/**
 * Singleton swap components in OSGi: a provider registers its implementation as a service with
 * {@value #COMPONENT}{@code =<name>}; this keeps one OTT entry per name and registers a
 * <em>front</em> (the entry's stub, with {@value #FRONT}{@code =true}) under the component's
 * interface. Service hooks hide the providers from every bundle but this one and the system
 * bundle, so consumers (Declarative Services among them) bind to the front and never see a
 * provider come or go.
 *
 * <p>The active provider is the one with the highest {@code service.ranking}, then the highest
 * bundle version, then the lowest service id. When a better provider registers (a newer version
 * installed side by side), the entry is swapped to it, state and all. When the active provider
 * unregisters (its bundle stops, is updated or uninstalled; the {@code UNREGISTERING} event comes
 * synchronously, before Declarative Services deactivates it): if another provider is there, the
 * entry is swapped to it; if not, the entry is <em>parked</em> — quiesced, its state exported,
 * callers held for at most the configured hold — and the next provider to register imports the
 * state and gets the held calls. A provider with {@link SwapComponents#STANDIN}{@code =true} is
 * replaced instead, in that case, by a stand-in (a new instance of its class, with its state) that
 * serves until a provider registers or the hold bound passes; then the entry is parked. Everything
 * happens on the thread that delivers the service event, except the stand-in's expiry (on this
 * class's timer thread).
 *
 * <p>The component's interface must come from a bundle other than the providers' (an API bundle),
 * so that the front's class stays valid when a provider bundle is updated. Thread-safe: events for
 * one component serialize on it.
 */
final class LivePatcher implements AllServiceListener, FindHook, EventListenerHook {

    /** Service property naming the swap component a service provides. */
    static final String COMPONENT = "swap.component";
    /** Service property marking a front registered by this bundle. */
    static final String FRONT = "swap.front";

    private static final Logger LOG = LoggerFactory.getLogger(LivePatcher.class);
    private static final String PROVIDERS = "(&(" + COMPONENT + "=*)(!(" + FRONT + "=*))(!(" + Constants.OBJECTCLASS + "="
            + ComponentFactory.class.getName() + ")))";

    private final BundleContext context;
    private final TableImpl table;
    private final Map<String, Component> components = new ConcurrentHashMap<>();
    private volatile SwapOptions options;
    private ServiceRegistration<?> hooks;
    private volatile boolean closed;
    /** Ends stand-ins whose hold bound passed; its thread exists only while a stand-in serves. */
    private final ScheduledThreadPoolExecutor timer;

    LivePatcher(BundleContext context, TableImpl table, SwapOptions options) {
        this.context = context;
        this.table = table;
        this.options = options;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "swap-standin-expiry");
            t.setDaemon(true);
            t.setContextClassLoader(LivePatcher.class.getClassLoader()); // not the loader of whichever bundle's thread made it
            return t;
        });
        timer.setKeepAliveTime(1, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Options for later swaps and parks (the hold bound comes from Configuration Admin). */
    void options(SwapOptions newOptions) {
        options = Objects.requireNonNull(newOptions);
    }

    SwapOptions options() {
        return options;
    }

    void open() throws InvalidSyntaxException {
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()}, this, null);
        context.addServiceListener(this, PROVIDERS);
        ServiceReference<?>[] existing = context.getAllServiceReferences(null, PROVIDERS);
        if (existing != null) {
            for (ServiceReference<?> ref : existing) {
                registered(ref);
            }
        }
    }

    void close() {
        closed = true;
        context.removeServiceListener(this);
        for (Component c : components.values()) {
            c.close();
        }
        components.clear();
        timer.shutdownNow();
        if (hooks != null) {
            hooks.unregister();
        }
    }

    // ---- hooks: providers are visible to this bundle and the system bundle only ----

    @Override
    public void find(BundleContext requester, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (!privileged(requester)) {
            references.removeIf(LivePatcher::isProvider);
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        if (isProvider(event.getServiceReference())) {
            listeners.keySet().removeIf(c -> !privileged(c));
        }
    }

    private boolean privileged(BundleContext requester) {
        long id = requester.getBundle().getBundleId();
        return id == 0 || id == context.getBundle().getBundleId();
    }

    /** Whether the framework itself is shutting down (bundles then stop in reverse start-level order). */
    boolean frameworkStopping() {
        Bundle system = context.getBundle(0);
        return system == null || system.getState() == Bundle.STOPPING;
    }

    static boolean isProvider(ServiceReference<?> ref) {
        if (ref.getProperty(COMPONENT) == null || ref.getProperty(FRONT) != null) {
            return false;
        }
        for (String type : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
            if (type.equals(ComponentFactory.class.getName())) {
                return false;
            }
        }
        return true;
    }

    // ---- provider events ----

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (closed) {
            return;
        }
        ServiceReference<?> ref = event.getServiceReference();
        try {
            switch (event.getType()) {
                case ServiceEvent.REGISTERED -> registered(ref);
                case ServiceEvent.UNREGISTERING, ServiceEvent.MODIFIED_ENDMATCH -> unregistering(ref);
                case ServiceEvent.MODIFIED -> modified(ref);
                default -> {
                }
            }
        } catch (RuntimeException e) { // never into the framework's event delivery
            LOG.error("component '{}': handling {} of a provider from bundle {} failed", ref.getProperty(COMPONENT),
                    typeOf(event), describe(ref.getBundle()), e);
        }
    }

    private void registered(ServiceReference<?> ref) {
        String name = String.valueOf(ref.getProperty(COMPONENT));
        Component c = components.computeIfAbsent(name, Component::new);
        c.registered(ref);
    }

    private void unregistering(ServiceReference<?> ref) {
        Component c = components.get(String.valueOf(ref.getProperty(COMPONENT)));
        if (c != null) {
            c.unregistering(ref);
        }
    }

    private void modified(ServiceReference<?> ref) {
        Component c = components.get(String.valueOf(ref.getProperty(COMPONENT)));
        if (c == null) {
            registered(ref); // MODIFIED into the filter
        } else {
            c.reconsider(SwapEvents.PATCH_REASON + "provider properties changed");
        }
    }

    /** See {@link swap.osgi.SwapComponents#pin}. */
    void pin(String component, long bundleId) {
        Component c = components.get(component);
        if (c == null) {
            throw new IllegalArgumentException("no singleton swap component '" + component + "'");
        }
        c.pin(bundleId);
    }

    /** See {@link swap.osgi.SwapComponents#unpin}. */
    void unpin(String component) {
        Component c = components.get(component);
        if (c != null) {
            c.unpin();
        }
    }

    /** Best first: highest ranking, then highest bundle version, then lowest service id. */
    static final Comparator<ServiceReference<?>> PREFERENCE = Comparator
            .<ServiceReference<?>>comparingInt(LivePatcher::ranking)
            .thenComparing(r -> r.getBundle() == null ? org.osgi.framework.Version.emptyVersion : r.getBundle().getVersion())
            .thenComparing(r -> -(Long) r.getProperty(Constants.SERVICE_ID))
            .reversed();

    private static int ranking(ServiceReference<?> ref) {
        return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    /** One swap component: its entry, its front and its providers. */
    private final class Component {
        private final String name;
        private final List<ServiceReference<?>> providers = new ArrayList<>();
        private EntryImpl<Object> entry;
        private Class<?> type;
        private ServiceRegistration<?> front;
        private ServiceReference<?> active;
        private Swapper.Parked parked;
        /** The stand-in serving while no provider is there, or null; ends by {@link #standInExpiry}. */
        private Object standIn;
        private ScheduledFuture<?> standInExpiry;
        /** The bundle an operator pinned the component to, or -1. */
        private long pinned = -1;

        Component(String name) {
            this.name = name;
        }

        synchronized void pin(long bundleId) {
            ServiceReference<?> candidate = providers.stream().filter(r -> r.getBundle() != null
                    && r.getBundle().getBundleId() == bundleId).sorted(PREFERENCE).findFirst().orElse(null);
            if (candidate == null) {
                throw new IllegalArgumentException("component '" + name + "': bundle " + bundleId + " provides none");
            }
            pinned = bundleId;
            LOG.info("component '{}': pinned to bundle {}", name, describe(candidate.getBundle()));
            if (parked == null && !candidate.equals(active) && !swapTo(candidate, SwapEvents.PATCH_REASON + "pinned to bundle "
                    + describe(candidate.getBundle()))) {
                throw new SwapException("component '" + name + "': the swap to the pinned provider from bundle "
                        + describe(candidate.getBundle()) + " failed; see the log; the pin stays");
            }
        }

        synchronized void unpin() {
            if (pinned >= 0) {
                pinned = -1;
                LOG.info("component '{}': unpinned", name);
                reconsider(SwapEvents.PATCH_REASON + "unpinned");
            }
        }

        synchronized void registered(ServiceReference<?> ref) {
            if (closed || providers.contains(ref)) {
                return;
            }
            providers.add(ref);
            if (entry != null && entry.isRemoved()) {
                forget(); // someone removed the entry from the table: start afresh
            }
            if (entry == null) {
                start(ref);
            } else if (parked != null) {
                resume(ref);
            } else {
                reconsider(SwapEvents.PATCH_REASON + "provider from bundle " + describe(ref.getBundle()) + " registered");
            }
        }

        synchronized void unregistering(ServiceReference<?> ref) {
            if (!providers.remove(ref) || !ref.equals(active)) {
                return;
            }
            if (entry.isRemoved()) {
                forget();
                return;
            }
            if (frameworkStopping()) { // the whole framework goes down: nothing to keep callers waiting for
                active = null;
                context.ungetService(ref);
                return;
            }
            String why = SwapEvents.PATCH_REASON + "provider from bundle " + describe(ref.getBundle()) + " unregistering";
            for (ServiceReference<?> next : sorted()) {
                if (swapTo(next, why)) {
                    return;
                }
            }
            try {
                if (!standIn(ref, why)) {
                    park(why, "its provider (bundle " + describe(ref.getBundle()) + ") went away and no replacement has registered");
                }
            } finally {
                active = null;
                context.ungetService(ref);
            }
        }

        private void park(String why, String unavailable) {
            try {
                parked = entry.park(options, why, "component '" + name + "' is unavailable: " + unavailable);
            } catch (RuntimeException e) {
                LOG.error("component '{}': could not park it ({}); its calls go on to the instance it had", name, why, e);
            }
        }

        /**
         * Swaps the entry from the departing provider {@code ref} (still active: its
         * {@code UNREGISTERING} event is being delivered) to a stand-in of its class, if the provider
         * asks for one; {@code false} if it does not or the stand-in failed (reported; then park).
         */
        private boolean standIn(ServiceReference<?> ref, String why) {
            if (!Boolean.parseBoolean(String.valueOf(ref.getProperty(SwapComponents.STANDIN)))) {
                return false;
            }
            Object departing = context.getService(ref);
            context.ungetService(ref); // only to learn its class: the provider's own count is released below
            if (departing == null) {
                return false;
            }
            Class<?> impl = departing.getClass();
            Object stand;
            try {
                stand = impl.getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LOG.error("component '{}': cannot make a stand-in of {} (a public no-argument constructor is needed): {};"
                        + " callers are held instead", name, impl.getName(), e.toString());
                return false;
            }
            long holdMillis = options.maxHold().toMillis();
            try {
                entry.swap(SwapTarget.instance(stand), options, why + "; a stand-in serves for at most " + holdMillis + " ms");
            } catch (SwapException | IllegalArgumentException | IllegalStateException e) {
                LOG.error("component '{}': the stand-in of {} could not take over ({}); callers are held instead", name,
                        impl.getName(), e.getMessage());
                return false;
            }
            standIn = stand;
            standInExpiry = timer.schedule(() -> standInExpired(stand, holdMillis), holdMillis, TimeUnit.MILLISECONDS);
            LOG.info("component '{}': a stand-in of {} serves until a provider registers (at most {} ms)", name, impl.getName(),
                    holdMillis);
            return true;
        }

        synchronized void standInExpired(Object stand, long holdMillis) {
            if (standIn != stand || closed || entry == null || entry.isRemoved()) {
                return;
            }
            endStandIn();
            park(SwapEvents.PATCH_REASON + "no provider registered within " + holdMillis + " ms of the stand-in",
                    "no provider registered within " + holdMillis + " ms, and the stand-in stopped serving");
        }

        private void endStandIn() {
            standIn = null;
            if (standInExpiry != null) {
                standInExpiry.cancel(false);
                standInExpiry = null;
            }
        }

        synchronized void reconsider(String why) {
            if (entry == null || parked != null) {
                return;
            }
            List<ServiceReference<?>> order = sorted();
            if (!order.isEmpty() && !order.get(0).equals(active)) {
                swapTo(order.get(0), why);
            }
        }

        /** Providers best first: the pinned bundle's, then by {@link #PREFERENCE}. */
        private List<ServiceReference<?>> sorted() {
            List<ServiceReference<?>> order = new ArrayList<>(providers);
            order.sort(Comparator.<ServiceReference<?>>comparingInt(r -> r.getBundle() != null
                    && r.getBundle().getBundleId() == pinned ? 0 : 1).thenComparing(PREFERENCE));
            return order;
        }

        private void start(ServiceReference<?> ref) {
            Object instance = context.getService(ref);
            if (instance == null) {
                providers.remove(ref);
                LOG.error("component '{}': the provider from bundle {} returned no service object", name, describe(ref.getBundle()));
                return;
            }
            Class<?> iface = interfaceOf(ref, instance);
            if (iface == null) {
                providers.remove(ref);
                context.ungetService(ref);
                LOG.error("component '{}': the provider from bundle {} is registered under {}, none of them an interface;"
                        + " refused", name, describe(ref.getBundle()), List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)));
                return;
            }
            @SuppressWarnings("unchecked")
            Class<Object> t = (Class<Object>) iface;
            Entry<Object> e;
            try {
                e = table.register(name, t, instance);
            } catch (RuntimeException ex) {
                providers.remove(ref);
                context.ungetService(ref);
                LOG.error("component '{}': refused the provider from bundle {}: {}", name, describe(ref.getBundle()), ex.getMessage());
                return;
            }
            entry = (EntryImpl<Object>) e;
            type = iface;
            active = ref;
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(COMPONENT, name);
            properties.put(FRONT, Boolean.TRUE);
            front = context.registerService(new String[] {iface.getName()}, entry.stub(), properties);
            LOG.info("component '{}': front registered under {}, served by {} from bundle {}", name, iface.getName(),
                    instance.getClass().getName(), describe(ref.getBundle()));
        }

        /** Swaps the entry to the provider {@code ref}; {@code false} (reported) if that failed. */
        private boolean swapTo(ServiceReference<?> ref, String why) {
            Object instance = context.getService(ref);
            if (instance == null) {
                LOG.error("component '{}': refused the provider from bundle {}: it gave no service object (its activation"
                        + " failed?); the running version keeps serving", name, describe(ref.getBundle()));
                return false;
            }
            if (!type.isInstance(instance)) {
                context.ungetService(ref);
                LOG.error("component '{}': refused the provider from bundle {}: {} does not implement {} as the front sees it",
                        name, describe(ref.getBundle()), instance.getClass().getName(), type.getName());
                return false;
            }
            try {
                SwapResult r = entry.swap(SwapTarget.instance(instance), options, why);
                ServiceReference<?> previous = active;
                active = ref;
                endStandIn();
                if (previous != null) {
                    context.ungetService(previous);
                }
                LOG.debug("component '{}': {}", name, r);
                return true;
            } catch (SwapException | IllegalArgumentException | IllegalStateException e) {
                context.ungetService(ref);
                LOG.error("component '{}': patch to the provider from bundle {} failed; the running version keeps serving: {}",
                        name, describe(ref.getBundle()), e.getMessage());
                return false;
            }
        }

        private void resume(ServiceReference<?> ref) {
            Object instance = context.getService(ref);
            if (instance == null) {
                LOG.error("component '{}': the provider from bundle {} gave no service object (its activation failed?);"
                        + " still parked", name, describe(ref.getBundle()));
                return;
            }
            try {
                parked.resume(instance);
                parked = null;
                active = ref;
                LOG.info("component '{}': resumed on {} from bundle {}", name, instance.getClass().getName(), describe(ref.getBundle()));
            } catch (SwapException | IllegalStateException e) {
                context.ungetService(ref);
                LOG.error("component '{}': the provider from bundle {} cannot take over the parked state; still parked: {}",
                        name, describe(ref.getBundle()), e.getMessage());
            }
        }

        /** Ends the stand-in and the park ({@code why} to held callers), unregisters the front, ungets the provider. */
        private void release(String why) {
            endStandIn();
            if (parked != null) {
                parked.abort(why);
                parked = null;
            }
            if (front != null) {
                try {
                    front.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // unregistered already (the framework unregisters a stopping bundle's services itself)
                }
                front = null;
            }
            if (active != null) {
                context.ungetService(active);
                active = null;
            }
        }

        /** Drops the entry, its front and its park (the entry was removed from the table). */
        private void forget() {
            release("the entry was removed");
            LOG.info("component '{}': its entry was removed from the table; the next provider starts a new one", name);
            entry = null;
            type = null;
        }

        synchronized void close() {
            release("the swap framework is stopping");
            if (entry != null) {
                entry.remove();
            }
            providers.clear();
        }
    }

    /** The first of the service's interfaces, loaded through the provider's service object; {@code null} if none. */
    private static Class<?> interfaceOf(ServiceReference<?> ref, Object instance) {
        for (String name : (String[]) ref.getProperty(Constants.OBJECTCLASS)) {
            Class<?> found = find(instance.getClass(), name);
            if (found != null && found.isInterface()) {
                return found;
            }
        }
        return null;
    }

    private static Class<?> find(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return c;
            }
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = find(i, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static String describe(Bundle bundle) {
        return bundle == null ? "(gone)" : bundle.getSymbolicName() + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    private static String typeOf(ServiceEvent event) {
        return switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "registration";
            case ServiceEvent.UNREGISTERING -> "unregistration";
            default -> "modification";
        };
    }
}

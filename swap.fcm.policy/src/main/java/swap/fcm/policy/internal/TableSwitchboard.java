package swap.fcm.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import swap.hotswap.ComponentFactory;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.ott.Entry;
import swap.ott.ObjectTranslationTable;

/**
 * A {@link Switchboard} for one component on a plain class path: factories with their
 * characteristic properties, registered in code, and instances made from them in an
 * {@link ObjectTranslationTable}. What benchmarks and tests run the policies on, without OSGi; the
 * filters are OSGi filters all the same. Factories are added before use; thread-safe.
 */
public final class TableSwitchboard implements Switchboard {

    private record Factory(Map<String, Object> properties, ComponentFactory<?> factory) {
    }

    private final ObjectTranslationTable table;
    private final String component;
    private final List<Factory> factories = new CopyOnWriteArrayList<>();
    private final Map<Entry<?>, Factory> made = new ConcurrentHashMap<>();
    private final List<Consumer<Entry<?>>> watchers = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    /** When {@link #create} first drops the removed entries from {@link #made}. */
    private final GrowthPruning pruning = new GrowthPruning();

    public TableSwitchboard(ObjectTranslationTable table, String component) {
        this.table = Objects.requireNonNull(table, "table");
        this.component = Objects.requireNonNull(component, "component");
    }

    /** Adds a factory; among several that match a filter, the first added wins. */
    public void addFactory(Map<String, Object> properties, ComponentFactory<?> factory) {
        factories.add(new Factory(Map.copyOf(properties), Objects.requireNonNull(factory, "factory")));
    }

    /**
     * A new instance from the first factory matching {@code filter} ({@code null}: the first),
     * registered in the table and handed to the watchers before it is returned.
     *
     * @throws IllegalArgumentException if the filter is malformed or no factory matches
     */
    public <T> Entry<T> create(Class<T> type, String filter) {
        Factory f = find(filter);
        Entry<T> entry = table.register(component + "/" + sequence.incrementAndGet(), type, type.cast(make(f)));
        pruning.beforeAdd(made.keySet(), Entry::isRemoved);
        made.put(entry, f);
        for (Consumer<Entry<?>> w : watchers) {
            w.accept(entry);
        }
        return entry;
    }

    /** How many entries the switchboard keeps now, removed ones not yet dropped included. */
    int entriesKept() {
        return made.size();
    }

    @Override
    public AutoCloseable watch(String watched, Consumer<Entry<?>> listener) {
        if (!component.equals(watched)) {
            return () -> { };
        }
        watchers.add(listener);
        pruning.prune(made.keySet(), Entry::isRemoved);
        new ArrayList<>(made.keySet()).forEach(listener);
        return () -> watchers.remove(listener);
    }

    @Override
    public Map<String, Object> properties(Entry<?> entry) {
        Factory f = made.get(entry);
        return f == null || entry.isRemoved() ? Map.of() : f.properties();
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SwapResult swap(Entry<?> entry, String filter, SwapOptions options, String reason) {
        if (!made.containsKey(entry)) {
            throw new IllegalArgumentException("entry " + entry.id() + " was not made here");
        }
        Factory f = find(filter);
        SwapResult r = ((Entry) entry).swap(SwapTarget.instance(make(f)), options, reason);
        made.put(entry, f);
        return r;
    }

    private Factory find(String filter) {
        Filter parsed;
        try {
            parsed = filter == null ? null : FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("malformed filter " + filter + ": " + e.getMessage());
        }
        return factories.stream().filter(f -> parsed == null || parsed.matches(f.properties())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("component '" + component + "': no factory matches " + filter));
    }

    private static Object make(Factory f) {
        try {
            return f.factory().create();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("factory failed: " + e, e);
        }
    }
}

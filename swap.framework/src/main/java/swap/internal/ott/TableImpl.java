package swap.internal.ott;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.hotswap.ComponentFactory;
import swap.hotswap.SwapResult;
import swap.internal.hotswap.Deadlines;
import swap.internal.quiesce.CallStacks;
import swap.internal.quiesce.Fences;
import swap.internal.quiesce.GenerationCounter;
import swap.internal.stub.InterfaceModel;
import swap.ott.Entry;
import swap.ott.EntryAware;
import swap.ott.EntryDTO;
import swap.ott.ObjectTranslationTable;

/**
 * The Object Translation Table on a plain class path; the OSGi layer registers one as a service.
 */
public final class TableImpl implements ObjectTranslationTable {

    /*
     * Entries live in a concurrent map (lookups and list() never lock). Registration and removal
     * serialize on `lock` so that an id is checked and taken atomically and a failed
     * registration leaves nothing behind. Each entry's GenerationCounter has a dense index in
     * the table's CallStacks (its call count's slot in every thread's stack); the index is
     * returned when the entry object is unreachable (no table reference, no stub held by
     * anyone), which is the first moment no thread can enter through it again.
     */

    private static final Cleaner CLEANER = Cleaner.create();
    private static final Pattern ID = Pattern.compile("[^\\s\\p{Cntrl}]+");

    private final CallStacks stacks;
    private final ConcurrentMap<String, EntryImpl<?>> entries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final Function<Class<?>, Origin> origins;
    private final Object lock = new Object();
    private final ConcurrentMap<String, Factory<?>> factories = new ConcurrentHashMap<>();
    /** The most recent swap results, oldest first. Guarded by itself. */
    private final ArrayDeque<SwapResult> history = new ArrayDeque<>();
    /** Runs asynchronous swaps ({@code swapAsync}). */
    private final Executor executor;
    /** Enforces the deadlines of state transfers. */
    private final Deadlines deadlines;

    private static final Logger LOG = LoggerFactory.getLogger(TableImpl.class);
    private volatile Consumer<SwapResult> recordListener;

    /** The number of swap results the history keeps. */
    public static final int HISTORY = 256;

    private record Factory<T>(Class<T> type, ComponentFactory<? extends T> factory) {
    }

    /** A table that does not know where classes come from (plain class path). */
    public TableImpl() {
        this(type -> null);
    }

    /** A table that asks {@code origins} which bundle an implementation class comes from. */
    public TableImpl(Function<Class<?>, Origin> origins) {
        this(origins, Fences.defaultMode());
    }

    /** A table with the given {@linkplain Fences fences}. */
    public TableImpl(Function<Class<?>, Origin> origins, Fences.Mode fences) {
        this(origins, fences, Executors.newCachedThreadPool(new ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "swap-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        }), Deadlines.ticking("swap-watchdog"));
    }

    /**
     * A table whose asynchronous swaps run on {@code executor} and whose state transfers are timed
     * by {@code deadlines} (model checking passes {@code Runnable::run} and
     * {@link Deadlines#never()}: the whole swap runs on the checked threads, and a transfer cannot
     * time out).
     */
    public TableImpl(Function<Class<?>, Origin> origins, Fences.Mode fences, Executor executor, Deadlines deadlines) {
        this.origins = Objects.requireNonNull(origins, "origins");
        this.stacks = new CallStacks(fences);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    @Override
    public <T> Entry<T> register(Class<T> type, T instance) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instance, "instance");
        AtomicLong sequence = sequences.computeIfAbsent(type.getSimpleName(), n -> new AtomicLong());
        synchronized (lock) {
            String id;
            do {
                id = type.getSimpleName() + "/" + sequence.incrementAndGet();
            } while (entries.containsKey(id));
            return register(id, type, instance);
        }
    }

    @Override
    public <T> Entry<T> register(String id, Class<T> type, T instance) {
        return registerEntry(id, type, instance);
    }

    /** {@link #register(String, Class, Object)} with the implementation's type. */
    public <T> EntryImpl<T> registerEntry(String id, Class<T> type, T instance) {
        return registerEntry(id, type, instance, null);
    }

    private <T> EntryImpl<T> registerEntry(String id, Class<T> type, T instance, String factory) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(instance, "instance");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("entry id '" + id + "' is malformed (empty, or with whitespace or control characters)");
        }
        InterfaceModel model;
        try {
            model = InterfaceModel.of(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry " + id + ": " + e.getMessage(), e);
        }
        if (!type.isInstance(instance)) {
            throw new IllegalArgumentException("entry " + id + ": " + instance.getClass().getName()
                    + " does not implement " + type.getName());
        }
        requireFree(id);
        GenerationCounter counter = stacks.newCounter(id);
        EntryImpl<T> entry = new EntryImpl<>(this, id, type, model, counter, instance, factory);
        if (instance instanceof EntryAware aware) { // before the entry is visible: no call can reach it yet
            try {
                aware.boundTo(entry);
            } catch (RuntimeException e) {
                counter.release();
                throw new IllegalArgumentException("entry " + id + ": " + instance.getClass().getName()
                        + " refused to serve it (boundTo threw " + e + "); nothing registered", e);
            }
        }
        synchronized (lock) {
            try {
                requireFree(id);
            } catch (IllegalArgumentException e) {
                counter.release();
                throw e;
            }
            CLEANER.register(entry, counter::release);
            entries.put(id, entry);
        }
        return entry;
    }

    private void requireFree(String id) {
        synchronized (lock) {
            EntryImpl<?> existing = entries.get(id);
            if (existing != null) {
                throw new IllegalArgumentException("entry id " + id + " is already registered (" + existing.type().getName() + ")");
            }
        }
    }

    @Override
    public Optional<Entry<?>> lookup(String id) {
        return Optional.ofNullable(entries.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<Entry<T>> lookup(String id, Class<T> type) {
        Objects.requireNonNull(type, "type");
        EntryImpl<?> entry = entries.get(Objects.requireNonNull(id, "id"));
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.type() != type) {
            throw new IllegalArgumentException("entry " + id + " is a " + entry.type().getName() + ", not a " + type.getName());
        }
        return Optional.of((Entry<T>) entry);
    }

    /** The entry with this id, with its internal view. */
    public Optional<EntryImpl<?>> entry(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public List<EntryDTO> list() {
        return entries.values().stream().sorted(Comparator.comparing(EntryImpl::id)).map(EntryImpl::snapshot).toList();
    }

    @Override
    public boolean remove(String id) {
        EntryImpl<?> entry = entries.get(Objects.requireNonNull(id, "id"));
        if (entry == null) {
            return false;
        }
        entry.remove();
        return true;
    }

    /** Removes every entry (the table is going away). */
    public void close() {
        entries.values().forEach(EntryImpl::remove);
        if (executor instanceof ExecutorService service) {
            service.shutdown();
        }
    }

    // ---- factories ----

    @Override
    public <T> void registerFactory(String name, Class<T> type, ComponentFactory<? extends T> factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("factory name '" + name + "' is malformed (empty, or with whitespace or control characters)");
        }
        InterfaceModel.of(type); // a public interface, or IllegalArgumentException
        Factory<?> existing = factories.putIfAbsent(name, new Factory<>(type, factory));
        if (existing != null) {
            throw new IllegalArgumentException("factory " + name + " is already registered (" + existing.type().getName() + ")");
        }
    }

    @Override
    public boolean unregisterFactory(String name) {
        return factories.remove(Objects.requireNonNull(name, "name")) != null;
    }

    @Override
    public List<String> factories() {
        return factories.keySet().stream().sorted().toList();
    }

    boolean hasFactory(String name) {
        return factories.containsKey(name);
    }

    /** The factory with this name, checked against the interface it must make. */
    ComponentFactory<?> factory(String name, Class<?> type) {
        Factory<?> f = factories.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no factory named " + name + " (registered: " + factories() + ")");
        }
        if (!type.isAssignableFrom(f.type())) {
            throw new IllegalArgumentException("factory " + name + " makes " + f.type().getName() + ", not " + type.getName());
        }
        return f.factory();
    }

    @Override
    public <T> Entry<T> create(String id, Class<T> type, String factory) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        ComponentFactory<?> f = factory(Objects.requireNonNull(factory, "factory"), type);
        Object made;
        try {
            made = f.create();
        } catch (Exception e) {
            throw new IllegalStateException("factory " + factory + " failed to make a " + type.getName() + ": " + e, e);
        }
        if (!type.isInstance(made)) {
            throw new IllegalStateException("factory " + factory + " made " + (made == null ? "null" : made.getClass().getName())
                    + ", not a " + type.getName());
        }
        return registerEntry(id, type, type.cast(made), factory);
    }

    // ---- swaps ----

    @Override
    public List<SwapResult> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    void record(SwapResult result) {
        synchronized (history) {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(result);
        }
        Consumer<SwapResult> listener = recordListener;
        if (listener != null) {
            try {
                listener.accept(result);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("swap result listener failed on {}", result, e);
            }
        }
    }

    /**
     * Sets who hears of every swap result after it entered the history (on the swapping thread;
     * it must not block), or {@code null}.
     */
    public void onRecord(Consumer<SwapResult> listener) {
        recordListener = listener;
    }

    Executor executor() {
        return executor;
    }

    Deadlines deadlines() {
        return deadlines;
    }

    /** The quiescence domain of this table's entries. */
    public CallStacks stacks() {
        return stacks;
    }

    void forget(EntryImpl<?> entry) {
        synchronized (lock) {
            entries.remove(entry.id(), entry);
        }
    }

    Origin originOf(Class<?> implementation) {
        try {
            return origins.apply(implementation);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ObjectTranslationTable[" + entries.size() + " entries]";
    }
}

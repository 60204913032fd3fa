package swap.fcm.policy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.ott.Entry;
import swap.policy.SwapPolicy;

/**
 * What the FCM policies share: a monitor attached to every live FCM instance while the policy is
 * on, and one thread of its own that runs the swaps the monitors ask for (never the caller's
 * thread: a call cannot wait for its own entry to quiesce) and any periodic checks.
 *
 * <p>A monitor asks for a swap with {@link #request}; at most one request per instance is queued
 * at a time, and the policy thread checks, just before swapping, that the instance is not already
 * on an implementation that matches the target (a live patch or an operator may have moved it).
 *
 * <p>The policy thread attaches the monitors, within {@value #FRESH_MILLIS} ms of an instance's
 * creation (the creating thread only queues it), and a monitor costs its instance's callers the
 * interposer's work on every monitored call. So an instance on which the policy could not act
 * ({@link #worthWatching}: the sequential policy on a file too small to stream) gets no monitor:
 * it rests, and a monitor attached earlier may ask to {@linkplain #rest rest} too. Every
 * {@value #WAKE_MILLIS} ms the policy thread looks at the resting entries again and attaches a
 * monitor to each that has become worth watching (the file grew, or was moved to the streaming
 * implementation).
 *
 * @param <M> the policy's monitor
 */
public abstract class AdaptivePolicy<M extends AdaptivePolicy.Monitor> implements SwapPolicy, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdaptivePolicy.class);
    private static final long STOP_MILLIS = 5_000;
    /** How long after an instance is made the policy thread looks at it, at most (plus its own latency). */
    static final long FRESH_MILLIS = 2;
    /** How often the policy thread looks at the resting entries again. */
    static final long WAKE_MILLIS = 250;

    /** A policy's monitor on one instance: a wrapper of its entry. */
    abstract static class Monitor implements Wrapper {
        final Entry<FileCacheManager> entry;
        final AtomicBoolean pending = new AtomicBoolean();
        /** Whether it asked to rest since it was attached or last {@linkplain #seen saw} its instance change. */
        volatile boolean askedToRest;
        /** The properties of the factory of the instance now, as last seen ({@link #seen}). */
        volatile Map<String, Object> properties;
        WrapperHandle handle;

        Monitor(Entry<FileCacheManager> entry, Map<String, Object> properties) {
            this.entry = entry;
            this.properties = properties;
        }

        /** Records what the instance is now; a monitor that derives something from it on its hot path does so here. */
        void seen(Map<String, Object> now) {
            properties = now;
            askedToRest = false;
        }
    }

    protected final Switchboard board;
    private final String name;
    private final String[] methods;
    private final Object lock = new Object();
    /** The monitors by entry id; those of removed entries until the next prune. Guarded by lock. */
    private final Map<String, M> monitors = new HashMap<>();
    /** When a new monitor first drops those of removed entries. Guarded by lock. */
    private final GrowthPruning pruning = new GrowthPruning();
    /** An instance made (or live when switched on) that the policy thread has yet to judge, and since when (System.nanoTime()). */
    private record Fresh(Entry<FileCacheManager> entry, long since) {
    }

    /** Instances made (or live when switched on) that the policy thread has yet to look at. */
    private final ConcurrentLinkedQueue<Fresh> fresh = new ConcurrentLinkedQueue<>();
    /** Whether no look at {@link #fresh} is scheduled (a new fresh entry schedules one). */
    private final AtomicBoolean freshTaken = new AtomicBoolean(true);
    /** The entries whose monitor rests ({@link #rest}), by id; those removed until the next prune or wake. Guarded by lock. */
    private final Map<String, Entry<FileCacheManager>> resting = new HashMap<>();
    /** When a newly resting entry first drops the removed ones. Guarded by lock. */
    private final GrowthPruning restingPruning = new GrowthPruning();
    /** The watch of the FCM instances while on. Guarded by lock. */
    private AutoCloseable watch;
    private volatile boolean enabled;
    private volatile SwapOptions options = SwapOptions.defaults();
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rests = new AtomicLong();
    protected final ScheduledExecutorService thread;

    AdaptivePolicy(Switchboard board, String name, String... methods) {
        this.board = board;
        this.name = name;
        this.methods = methods;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swap-policy-" + name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::wake, WAKE_MILLIS, WAKE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A new monitor for {@code entry}, whose current instance came from a factory with {@code properties}. */
    abstract M monitor(Entry<FileCacheManager> entry, Map<String, Object> properties);

    /** Whether the policy attaches monitors at all on this machine with its settings now (on, it may still be idle). */
    boolean active() {
        return true;
    }

    /**
     * Whether a monitor on {@code entry} could lead to a swap now (else it rests); {@code null}:
     * not known yet (the instance is not open), asked again. Asked on the policy thread, with no
     * lock held (it may call the instance).
     */
    Boolean worthWatching(Entry<FileCacheManager> entry) {
        return Boolean.TRUE;
    }

    /** Whether {@code m}'s instance should move to {@code to} now; asked on the policy thread just before a swap. */
    boolean worthMoving(M m, Filter to) {
        return true;
    }

    /**
     * Applies a changed configuration in place: {@code settings} (which checks and sets the
     * policy's thresholds), then {@code enabled}. A malformed one is logged, naming {@code pid},
     * and ignored.
     */
    void reconfigure(String pid, Runnable settings, boolean enabled) {
        try {
            settings.run();
            setEnabled(enabled);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: configuration {} ignored: {}", name, pid, e.getMessage());
        }
    }

    /** Detaches every monitor and attaches them again (after a change of {@link #active()}). */
    void rewatch() {
        synchronized (lock) {
            if (enabled) {
                setEnabled(false);
                setEnabled(true);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean on) {
        synchronized (lock) {
            if (on == enabled) {
                return;
            }
            enabled = on;
            if (on) {
                watch = board.watch(FcmProperties.COMPONENT, this::watched);
                LOG.info("policy {} on: {}", name, description());
            } else {
                try {
                    watch.close();
                } catch (Exception e) {
                    LOG.warn("policy {}: closing its watch failed", name, e);
                }
                watch = null;
                prune();
                resting.clear();
                fresh.clear();
                restingPruning.reset();
                for (M m : monitors.values()) {
                    try {
                        m.handle.detach();
                    } catch (IllegalStateException e) {
                        // the entry was removed meanwhile, and its wrappers with it
                    }
                }
                monitors.clear();
                pruning.reset();
                LOG.info("policy {} off", name);
            }
        }
    }

    @Override
    public List<String> watching() {
        synchronized (lock) {
            prune();
            List<String> ids = new ArrayList<>(monitors.keySet());
            ids.sort(null);
            return ids;
        }
    }

    /** How many swaps this policy made (committed) since it was created. */
    public long swaps() {
        return swaps.get();
    }

    /** How many swap requests of its monitors this policy queued for its thread since it was created. */
    public long requests() {
        return requests.get();
    }

    /** How many times a monitor was detached to rest since the policy was created. */
    public long rests() {
        return rests.get();
    }

    /** The ids of the entries whose monitor rests now (live ones), sorted. */
    public List<String> resting() {
        synchronized (lock) {
            restingPruning.prune(resting.values(), Entry::isRemoved);
            List<String> ids = new ArrayList<>(resting.keySet());
            ids.sort(null);
            return ids;
        }
    }

    /** How many monitors the policy keeps now, those of removed entries not yet pruned included. */
    int monitorsKept() {
        synchronized (lock) {
            return monitors.size();
        }
    }

    /** The live monitors (a copy). */
    List<M> monitors() {
        synchronized (lock) {
            prune();
            return new ArrayList<>(monitors.values());
        }
    }

    public void setOptions(SwapOptions options) {
        this.options = options;
    }

    /**
     * A new (or, when switched on, a live) instance: queued for the policy thread, which attaches
     * a monitor or lets the entry rest ({@link #takeFresh}) within {@value #FRESH_MILLIS} ms. The
     * thread that made the instance pays a queue insertion, and wakes the policy thread at most
     * once per {@value #FRESH_MILLIS} ms.
     */
    @SuppressWarnings("unchecked")
    private void watched(Entry<?> entry) {
        if (entry.type() != FileCacheManager.class || !enabled || !active()) {
            return;
        }
        fresh.add(new Fresh((Entry<FileCacheManager>) entry, System.nanoTime()));
        scheduleTake();
    }

    /** A look at {@link #fresh} in {@value #FRESH_MILLIS} ms, unless one is scheduled already. */
    private void scheduleTake() {
        if (freshTaken.compareAndSet(true, false)) {
            try {
                thread.schedule(this::takeFresh, FRESH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /**
     * On the policy thread: a monitor on each fresh entry {@linkplain #worthWatching worth
     * watching}; the others rest. One not yet judged is looked at again in {@value #FRESH_MILLIS}
     * ms, for at most {@value #WAKE_MILLIS} ms; then it rests, and the periodic look takes over.
     */
    void takeFresh() {
        freshTaken.set(true); // first: an entry queued after this either is taken below or schedules another take
        List<Fresh> again = new ArrayList<>();
        for (Fresh f; (f = fresh.poll()) != null;) {
            Entry<FileCacheManager> entry = f.entry();
            if (entry.isRemoved()) {
                continue;
            }
            Boolean judged = worthWatching(entry); // no lock: it may call the instance
            if (judged == null && System.nanoTime() - f.since() < TimeUnit.MILLISECONDS.toNanos(WAKE_MILLIS)) {
                again.add(f);
                continue;
            }
            boolean worth = judged != null && judged;
            synchronized (lock) {
                String id = entry.id();
                if (!enabled || !active() || entry.isRemoved() || monitors.containsKey(id) || resting.containsKey(id)) {
                    continue;
                }
                if (worth) {
                    attach(entry);
                } else {
                    addResting(entry);
                }
            }
        }
        if (!again.isEmpty()) {
            fresh.addAll(again);
            scheduleTake();
        }
    }

    /** Attaches a new monitor to {@code entry}, unless it was removed meanwhile. Under lock. */
    private void attach(Entry<FileCacheManager> entry) {
        pruning.beforeAdd(monitors.values(), AdaptivePolicy::isGone);
        M m = monitor(entry, board.properties(entry));
        try {
            m.handle = entry.attach(m, methods);
        } catch (IllegalStateException e) {
            if (entry.isRemoved()) {
                return; // removed after the caller looked (switching on raced with a cache's close)
            }
            throw e;
        }
        monitors.put(entry.id(), m);
    }

    /** Adds {@code entry} to the resting ones. Under lock. */
    private void addResting(Entry<FileCacheManager> entry) {
        restingPruning.beforeAdd(resting.values(), Entry::isRemoved);
        resting.put(entry.id(), entry);
    }

    /**
     * Asks the policy thread whether {@code m} should rest (once, until it {@linkplain Monitor#seen
     * sees} its instance change). Called by the monitor on a call; costs the caller a volatile read
     * after the first time.
     */
    void askToRest(M m) {
        if (m.askedToRest || !enabled) {
            return;
        }
        m.askedToRest = true;
        try {
            thread.execute(() -> rest(m));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** On the policy thread: detaches {@code m} if its entry is not {@linkplain #worthWatching worth watching}. */
    private void rest(M m) {
        String id = m.entry.id();
        synchronized (lock) {
            if (!enabled || monitors.get(id) != m || m.entry.isRemoved()) {
                return;
            }
        }
        if (!Boolean.FALSE.equals(worthWatching(m.entry))) {
            return;
        }
        synchronized (lock) {
            if (!enabled || monitors.get(id) != m || m.entry.isRemoved()) {
                return; // switched off (which detached it), or removed, meanwhile
            }
            monitors.remove(id);
            // under the lock, as switching off detaches: once off returns, no monitor of this policy is attached
            try {
                m.handle.detach();
            } catch (IllegalStateException e) {
                return; // removed meanwhile, and its wrappers with it
            }
            addResting(m.entry);
            rests.incrementAndGet();
        }
    }

    /** On the policy thread, every {@value #WAKE_MILLIS} ms: a new monitor on each resting entry now worth watching. */
    private void wake() {
        List<Entry<FileCacheManager>> candidates;
        synchronized (lock) {
            if (!enabled || resting.isEmpty()) {
                return;
            }
            restingPruning.prune(resting.values(), Entry::isRemoved);
            candidates = new ArrayList<>(resting.values());
        }
        for (Entry<FileCacheManager> entry : candidates) {
            if (!Boolean.TRUE.equals(worthWatching(entry))) {
                continue;
            }
            synchronized (lock) {
                if (!enabled || resting.get(entry.id()) != entry) {
                    continue;
                }
                resting.remove(entry.id());
                attach(entry);
            }
        }
    }

    private void prune() {
        pruning.prune(monitors.values(), AdaptivePolicy::isGone);
    }

    private static boolean isGone(Monitor m) {
        return m.entry.isRemoved();
    }

    /**
     * Asks the policy thread to swap {@code m}'s instance to the best implementation matching
     * {@code filter}, unless a request for it is already queued or the policy is off. Any thread.
     */
    void request(M m, Filter filter, String why) {
        if (!enabled || !m.pending.compareAndSet(false, true)) {
            return;
        }
        requests.incrementAndGet();
        try {
            thread.execute(() -> {
                try {
                    swap(m, filter, why);
                } finally {
                    m.pending.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            m.pending.set(false); // closing
        }
    }

    private void swap(M m, Filter filter, String why) {
        if (!enabled || m.entry.isRemoved()) {
            return;
        }
        Map<String, Object> now = board.properties(m.entry);
        m.seen(now);
        if (now.isEmpty() || filter.matches(now) || !worthMoving(m, filter)) {
            return; // not ours to move (parked, removed), already there, or not worth it
        }
        try {
            board.swap(m.entry, filter.toString(), options, REASON_PREFIX + name + ": " + why);
            swaps.incrementAndGet();
        } catch (SwapException | IllegalArgumentException | IllegalStateException e) {
            LOG.warn("policy {}: entry {}: no swap to {} ({}): {}", name, m.entry.id(), filter, why, e.getMessage());
        } finally {
            m.seen(board.properties(m.entry));
        }
    }

    /** Switches the policy off and stops its thread (waiting a bounded time for a swap in progress). */
    @Override
    public void close() {
        setEnabled(false);
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("policy {}: its thread did not stop within {} ms", name, STOP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code filter} parsed, or an {@link IllegalArgumentException} naming {@code property}. */
    static Filter filter(String property, String filter) {
        try {
            return FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("policy setting " + property + ": malformed filter " + filter);
        }
    }

    /** {@code value} if at least {@code min}, or an {@link IllegalArgumentException} naming {@code property}. */
    static int atLeast(String property, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("policy setting " + property + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}

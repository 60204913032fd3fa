package swap.internal.osgi;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.hotswap.SwapResult;

/**
 * Posts every swap result to Event Admin when one is present, as Blueprint posts its events:
 * topic {@code swap/SWAP/<OUTCOME>} for swaps asked for through the API or the shell and
 * {@code swap/PATCH/<OUTCOME>} for live patches (bundle installs and updates), with the result's
 * fields as properties ({@value #ENTRY}, {@value #OUTCOME}, {@value #PHASE}, {@value #FROM},
 * {@value #TO}, {@value #REASON}, {@value #FAILURE}, {@value #PROTOCOL}, {@value #TOTAL_NANOS},
 * {@value #MAX_HOLD_NANOS}, {@value #TRIES}). Events are posted asynchronously ({@code postEvent}).
 *
 * <p>The Event Admin API is imported dynamically: this bundle resolves and runs without it, and
 * this class touches its types only in {@link Poster}, loaded once an Event Admin service exists.
 */
final class SwapEvents implements Consumer<SwapResult> {

    static final String ENTRY = "swap.entry";
    static final String OUTCOME = "swap.outcome";
    static final String PHASE = "swap.phase";
    static final String FROM = "swap.from";
    static final String TO = "swap.to";
    static final String REASON = "swap.reason";
    static final String FAILURE = "swap.failure";
    static final String PROTOCOL = "swap.protocol";
    static final String TOTAL_NANOS = "swap.total.nanos";
    static final String MAX_HOLD_NANOS = "swap.max.hold.nanos";
    static final String TRIES = "swap.tries";
    /** Reasons of live patches start with this. */
    static final String PATCH_REASON = "live patch: ";

    private static final Logger LOG = LoggerFactory.getLogger(SwapEvents.class);
    private static final String EVENT_ADMIN = "org.osgi.service.event.EventAdmin";

    private final ServiceTracker<Object, Object> tracker;

    SwapEvents(BundleContext context) {
        tracker = new ServiceTracker<>(context, EVENT_ADMIN, null);
    }

    void open() {
        tracker.open(true); // any Event Admin: the package is wired dynamically, on first use
    }

    void close() {
        tracker.close();
    }

    @Override
    public void accept(SwapResult result) {
        Object eventAdmin = tracker.getService();
        if (eventAdmin == null) {
            return;
        }
        try {
            Poster.post(eventAdmin, topic(result), properties(result));
        } catch (NoClassDefFoundError | ClassCastException e) {
            LOG.warn("cannot post swap events to {}: its API is not visible to the swap framework ({})", eventAdmin, e.toString());
        }
    }

    static String topic(SwapResult result) {
        boolean patch = result.reason != null && result.reason.startsWith(PATCH_REASON);
        return "swap/" + (patch ? "PATCH" : "SWAP") + "/" + (result.outcome == null ? "UNKNOWN" : result.outcome.name());
    }

    static Map<String, Object> properties(SwapResult r) {
        Map<String, Object> p = new HashMap<>();
        p.put(ENTRY, r.entryId);
        p.put(OUTCOME, String.valueOf(r.outcome));
        p.put(PHASE, String.valueOf(r.phase));
        putIfSet(p, FROM, r.from);
        putIfSet(p, TO, r.to);
        putIfSet(p, REASON, r.reason);
        putIfSet(p, FAILURE, r.failure);
        p.put(PROTOCOL, r.protocol);
        p.put(TOTAL_NANOS, r.totalNanos);
        p.put(MAX_HOLD_NANOS, r.maxHoldNanos);
        p.put(TRIES, r.tries);
        return p;
    }

    private static void putIfSet(Map<String, Object> p, String key, String value) {
        if (value != null) {
            p.put(key, value);
        }
    }

    /** The only code that names Event Admin types. */
    private static final class Poster {
        static void post(Object eventAdmin, String topic, Map<String, Object> properties) {
            ((org.osgi.service.event.EventAdmin) eventAdmin).postEvent(new org.osgi.service.event.Event(topic, properties));
        }
    }
}

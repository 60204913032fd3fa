package swap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;
import swap.osgi.SwapComponents;

/**
 * A provider bundle updated N times under load, side by side for six client styles, each in a
 * real Felix 7.0.5 with Felix SCR embedded in this JVM (a fresh framework per style and load):
 *
 * <ol>
 *   <li><b>plain OSGi, DS static reference</b>: the sample {@code Client} (static, mandatory
 *       reference to {@code Counter}); callers obtain its {@code CounterClient} service once from a
 *       {@link ServiceTracker} and obtain it again when the tracker reports it removed, or after a
 *       failed call;
 *   <li><b>plain OSGi, DS dynamic greedy reference</b>: the sample {@code DynamicClient} (dynamic,
 *       greedy, optional: never deactivated), obtained the same way;
 *   <li><b>plain OSGi, {@code ServiceTracker.getService()} per call</b> on {@code Counter};
 *   <li><b>the swap container</b> (every bundle of its run descriptor, with its framework
 *       properties) and the same static DS client as in 1;
 *   <li><b>the swap container, side-by-side upgrade</b>: the same, but each update installs the
 *       other version beside the running bundle (a location of its own), starts it, then
 *       uninstalls the running bundle. The swap framework swaps to version 2 when it registers
 *       (a newer version beside an older one) and to version 1 when version 2 unregisters (then
 *       the only other provider): both while the old instance is still active, so callers are
 *       held for the swap alone, not for the window in which an updated bundle has no provider.
 *   <li><b>the swap container, update with stand-ins</b>: as in 4, with the providers configured
 *       {@code swap.standin=true} (a {@code .cfg} per provider component in {@code etc/}): while the
 *       updated bundle has no provider, a stand-in of the departing one serves with its state.
 * </ol>
 *
 * The provider (the sample counter, bundle {@code swap.sample.counter.impl}) is updated with
 * {@link Bundle#update(java.io.InputStream)} (side by side in style 5), alternately to version 2
 * and version 1, under each load: closed-loop callers (1, 2 and 4 threads, each calling back to
 * back; after a failed call a caller pauses about 20 us, the open loop's interval, before it tries
 * again) and an open-loop client (50,000 calls/s on a fixed schedule, latency measured from each
 * call's intended start, so that a stall is not hidden by the calls it kept from being sent: no
 * coordinated omission).
 *
 * <p>Reported per style and load:
 * <ul>
 *   <li>calls made, and failed calls grouped by cause (exception class and message, shortened;
 *       "no ... service" when the tracker had none); calls that reached an instance Declarative
 *       Services had already deactivated (the samples throw "... called after its deactivation")
 *       are also counted on their own;
 *   <li>the longest caller stall per update: the longest interval in which a caller completed no
 *       successful call (the maximum over callers), as p50/p99/max over the updates; beside it the
 *       same measure over a quiet stretch with no update (the scheduling noise floor of 2 shared
 *       cores); for the open loop also the latency from the intended start;
 *   <li>the time until the new version serves: from the {@code update()} call (side by side:
 *       the {@code installBundle} call) until {@code version()}, called through the style's own
 *       path, returns the new version;
 *   <li>whether the state was preserved: the count after the run against the successful increments;
 *   <li>old class loaders left: a weak reference to each replaced revision's class loader, checked
 *       after {@code FrameworkWiring.refreshBundles} and a bounded wait for the garbage collector;
 *   <li>for the static DS client, how often it was deactivated;
 * </ul>
 * beside these, the provider's own absence per update (from the old provider service's
 * unregistration to the new one's registration, both on the updating thread): the window that
 * Felix and SCR need to update the bundle, which plain clients see as an outage and the swap
 * container as a hold (side by side there is none: the new provider registers before the old
 * one unregisters). Then, per load, the ratios of each swap style to each plain style, and the
 * targets for each swap style (no failed call, no call on a deactivated instance, longest stall
 * per update at most 10 ms and at most a tenth of the plain-OSGi outage of the same run).
 *
 * <p>Plain OSGi runs Felix, SCR and its API bundles; {@code swap.framework} is installed there
 * too but never started, because the sample providers import {@code swap.transfer} (see
 * {@link EmbeddedFramework#LIBRARIES}). The static and dynamic clients are two components of one
 * bundle, installed in every style but the per-call tracker, so both plain DS styles do the same
 * work per update.
 *
 * <pre>
 * mvn -B package -DskipTests -pl swap.bench -am
 * java -cp swap.bench/target/benchmarks.jar swap.bench.LivePatchUnderLoad [--quick] [--out DIR] [updates]
 * </pre>
 * Defaults: 1,000 measured updates per style and load (about 4.5 minutes on 2 cores);
 * {@code --quick}: 50 (about 40 s). With {@code --out}, one {@link Outcome} per style and load
 * goes to {@code DIR/live-patch.csv}, where {@link Outcome#read} finds it again ({@link Report}
 * runs this class in a child JVM and reads its results that way).
 * {@code -Dswap.bench.styles=DS_STATIC,SWAP} runs only the
 * styles named ({@code DS_STATIC}, {@code DS_DYNAMIC}, {@code TRACKER}, {@code SWAP},
 * {@code SWAP_STANDIN}, {@code SWAP_SIDE_BY_SIDE}). {@code -Dswap.bench.runqueue=true} (Linux)
 * adds, per style, each update's longest stall once every stall is shortened by the stalled
 * caller's run-queue wait in it (from {@code /proc/thread-self/schedstat}, {@link RunQueueClock},
 * read after each gap and every 100 us between): what is left of a stall when the scheduler's part
 * is taken out; the same less the safepoints in each stall too (collections, deoptimizations and the
 * other VM operations that stop every thread: {@link Safepoints}, from JFR); and each caller's whole
 * run-queue wait per update. {@code -Dswap.bench.updaterNice=N} (Linux, a diagnosis too) runs
 * the updates at nice N (the callers stay at 0; {@link ThreadNice}): how much of the callers'
 * stall is the update's own work competing with them for the 2 cores. No part of the container
 * lowers the priority of an update today (FileInstall's and the shell's threads run at the
 * JVM's). The bundles
 * come from {@code target/osgi/} beside the jar ({@code swap/}: the container's home as the
 * reactor built it; {@code samples/}: the counter bundles), or from
 * {@code -Dswap.bench.osgi=<folder>}.
 *
 * <p>Calls cross from the class path into the framework through method handles (the counter's API
 * is a bundle inside the framework, not a class on the class path): every style pays the same
 * {@code invokeExact} per call, with no boxing. The trackers use the API bundle's context, so the
 * swap framework's hooks treat the benchmark like any other client bundle. Each run begins with a
 * few updates that are not measured (the bundles' classes are new in every framework, so their
 * update paths start cold).
 */
public final class LivePatchUnderLoad {

    /* Measurement, per caller thread (no shared writes on the call path):
     *
     * A caller keeps the time of its last successful call; after each successful call it records
     * the interval since the previous one if it is longer than GAP_FLOOR_NANOS (an open-loop
     * caller also records each late call as the interval from its intended start to its end).
     * The updating thread notes when each measured update begins; update u's window runs from
     * there to the beginning of update u + 1. After the runs, each recorded interval is charged to
     * every window it overlaps: the update's stall is the longest interval without a successful
     * call that overlapped its window, over all callers. Charging by time keeps a caller that the
     * scheduler kept off the CPU (2 shared cores) from moving an update's stall to the next one.
     *
     * The updater also publishes a "slot" (volatile): the update in progress, QUIET, or IGNORED
     * during warm-up and tear-down; failed calls are counted per slot (a call fails only while it
     * runs, so the slot in which it ran is the right one). After an update the updater polls
     * version() through the style's own path until it answers the new version (the time until the
     * new version serves), then pauses 1-3 ms at random, so that callers complete calls on the new
     * version and the next update starts at a random point of the callers' stream.
     */

    /** The counter's component interface and the static client's service interface (in the API bundle). */
    private static final String COUNTER = "swap.sample.counter.Counter";
    private static final String COUNTER_CLIENT = "swap.sample.counter.CounterClient";
    /** The dynamic client's service interface: in the client bundle's private package. */
    private static final String DYNAMIC_CLIENT = "swap.sample.counter.client.DynamicCounterClient";

    /** What a call that reached a deactivated sample instance says. */
    private static final String DEACTIVATED = "after its deactivation";
    /** A closed-loop caller's pause after a failed call (the open loop's interval at 50,000 calls/s). */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** How long the updater waits for the new version to serve before it gives the update up. */
    private static final long SERVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long HISTOGRAM_MAX = TimeUnit.SECONDS.toNanos(60);
    /** Shorter gaps between successful calls, and shorter open-loop latencies, are not kept: they count as 0. */
    private static final long GAP_FLOOR_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The updating thread's nice value while it updates ({@link ThreadNice}): {@code -Dswap.bench.updaterNice=N}; 0 leaves it alone. */
    private static final int UPDATER_NICE = Integer.getInteger("swap.bench.updaterNice", 0);
    /** With the run-queue diagnosis: how often a caller reads its run-queue clock between gaps. */
    private static final long CLOCK_PERIOD_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** The client styles measured, each in a framework of its own. */
    enum Style {
        DS_STATIC("plain OSGi, DS static reference", COUNTER_CLIENT, false, false, false, false),
        DS_DYNAMIC("plain OSGi, DS dynamic greedy reference", DYNAMIC_CLIENT, false, false, false, false),
        TRACKER("plain OSGi, ServiceTracker per call", COUNTER, true, false, false, false),
        SWAP("swap container, DS static reference", COUNTER_CLIENT, false, true, false, false),
        SWAP_STANDIN("swap container, update with stand-ins", COUNTER_CLIENT, false, true, false, true),
        SWAP_SIDE_BY_SIDE("swap container, side-by-side upgrade", COUNTER_CLIENT, false, true, true, false);

        /** The plain-OSGi styles, which the swap styles are compared with. */
        static final List<Style> PLAIN = List.of(DS_STATIC, DS_DYNAMIC, TRACKER);
        /** The swap styles. */
        static final List<Style> SWAPS = List.of(SWAP, SWAP_STANDIN, SWAP_SIDE_BY_SIDE);

        final String label;
        final String service;
        final boolean perCall;
        final boolean container;
        /** Whether an update installs the other version beside the running bundle, then uninstalls that. */
        final boolean sideBySide;

        /** Whether the providers are configured with swap.standin=true (etc/&lt;component&gt;.cfg). */
        final boolean standIn;

        Style(String label, String service, boolean perCall, boolean container, boolean sideBySide, boolean standIn) {
            this.standIn = standIn;
            this.label = label;
            this.service = service;
            this.perCall = perCall;
            this.container = container;
            this.sideBySide = sideBySide;
        }

        boolean needsClientBundle() {
            return !service.equals(COUNTER);
        }
    }

    /** A load: {@code threads} closed-loop callers, or one open-loop caller at {@code callsPerSecond}. */
    record Load(String label, int threads, int callsPerSecond) {
        static Load closed(int threads) {
            return new Load("closed loop, " + threads + (threads == 1 ? " caller" : " callers"), threads, 0);
        }

        static Load open(int callsPerSecond) {
            return new Load(String.format(Locale.ROOT, "open loop, %,d calls/s", callsPerSecond), 1, callsPerSecond);
        }

        boolean isOpen() {
            return callsPerSecond > 0;
        }
    }

    /** Run lengths: the full run, or {@code --quick}. */
    record Settings(int updates, long warmUpMillis, long quietMillis, long gcWaitMillis) {
        static Settings full(int updates) {
            return new Settings(updates, 1_000, 500, 5_000);
        }

        static Settings quick(int updates) {
            return new Settings(updates, 300, 200, 2_000);
        }
    }

    private LivePatchUnderLoad() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Integer updates = null;
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--out")) {
                csv = Path.of(args[++i]).resolve(Outcome.FILE);
            } else {
                updates = Integer.parseInt(args[i]);
            }
        }
        Settings settings = quick ? Settings.quick(updates == null ? 50 : updates) : Settings.full(updates == null ? 1_000 : updates);
        Path osgi = osgiFolder();
        Bundles bundles = new Bundles(osgi.resolve("swap"), osgi.resolve("samples"));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "live patch under load: provider bundle updated %d times per style and load (v2/v1 alternately);"
                + " %d cores; %s; bundles from %s%s%n", settings.updates(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"), osgi,
                UPDATER_NICE != 0 ? "; updates at nice " + UPDATER_NICE : "");
        legend(out, settings);
        List<Load> loads = List.of(Load.closed(1), Load.closed(2), Load.closed(4), Load.open(50_000));
        List<Map<Style, Result>> all = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (Load load : loads) {
            Map<Style, Result> results = new EnumMap<>(Style.class);
            for (Style style : styles()) {
                Result result = run(style, load, settings, bundles);
                results.put(style, result);
                outcomes.add(Outcome.of(load, style, settings, result));
            }
            report(out, load, settings, results);
            all.add(results);
        }
        summary(out, loads, all);
        if (csv != null) {
            Outcome.write(csv, outcomes);
            out.println("results: " + csv);
        }
    }

    /** The styles to run: all, or those {@code -Dswap.bench.styles=DS_STATIC,SWAP} names. */
    private static List<Style> styles() {
        String only = System.getProperty("swap.bench.styles");
        if (only == null) {
            return List.of(Style.values());
        }
        List<Style> chosen = new ArrayList<>();
        for (String name : only.split(",")) {
            chosen.add(Style.valueOf(name.trim()));
        }
        return chosen;
    }

    /** The folder holding {@code swap/} and {@code samples/}: the system property, or {@code osgi/} beside the jar. */
    private static Path osgiFolder() throws URISyntaxException {
        String configured = System.getProperty("swap.bench.osgi");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path jar = Path.of(LivePatchUnderLoad.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path folder = jar.getParent().resolve("osgi");
        if (!Files.isDirectory(folder.resolve("swap")) || !Files.isDirectory(folder.resolve("samples"))) {
            throw new IllegalStateException(folder + " has no swap/ and samples/ (build with mvn package -pl swap.bench -am,"
                    + " or set -Dswap.bench.osgi)");
        }
        return folder;
    }

    /** Where the bundles are. */
    record Bundles(Path dist, Path samples) {
        Path sample(String name) {
            return samples.resolve(name + ".jar");
        }
    }

    // ---- one run: one style, one load, a fresh framework ----

    /** One run's measurements. */
    static final class Result {
        /** Every successful increment, warm-up included (what the count must be). */
        long allSuccesses;
        /** Successful and failed calls from the quiet stretch on (warm-up and tear-down not counted). */
        long successes;
        long failures;
        /** Measured updates during which at least one call failed. */
        int updatesWithFailures;
        long onDeactivated;
        final Map<String, Long> causes = new TreeMap<>();
        final Histogram stalls = new Histogram(HISTOGRAM_MAX, 3);
        final Histogram serves = new Histogram(HISTOGRAM_MAX, 3);
        /** Per update: from the old provider's unregistration to the new one's registration (the framework's own window). */
        final Histogram providerGone = new Histogram(HISTOGRAM_MAX, 3);
        final Histogram latency = new Histogram(HISTOGRAM_MAX, 3);
        final Histogram updateMaxLatency = new Histogram(HISTOGRAM_MAX, 3);
        long quietStall;
        long[] quietWindow;
        /** With the run-queue diagnosis: per update, the longest stall less the caller's run-queue wait; each caller's wait per update. */
        final Histogram stallsLessWaits = new Histogram(HISTOGRAM_MAX, 3);
        final Histogram runQueueWaits = new Histogram(HISTOGRAM_MAX, 3);
        /** With the run-queue diagnosis: per update, the longest stall less the run-queue wait and the safepoints in it. */
        final Histogram stallsLessWaitsAndSafepoints = new Histogram(HISTOGRAM_MAX, 3);
        /** With the run-queue diagnosis: the safepoints recorded from the warm-up on; whether the last of them may be missing. */
        int safepoints;
        boolean safepointsUnread;
        int unserved;
        String state = "?";
        boolean statePreserved;
        /** A weak reference to each replaced revision's class loader. */
        final List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        int loadersLeft;
        int loadersCount;
        String clientDeactivations = "-";
        String error;
    }

    /** A distribution as the report shows it: median, 99th percentile and maximum, in milliseconds. */
    record Quantiles(double p50, double p99, double max) {
        static final Quantiles NONE = new Quantiles(0, 0, 0);

        static Quantiles of(Histogram h) {
            return h.getTotalCount() == 0 ? NONE
                    : new Quantiles(h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        }
    }

    /**
     * One style under one load, as data: what {@link #report} prints for it, distributions as
     * {@link Quantiles} (the open loop's {@code latency} from the intended start; none in a closed
     * loop). {@code error} is null unless the run failed, and then the rest is empty.
     */
    record Outcome(String load, Style style, int updates, long calls, long failed, long onDeactivated, int updatesWithFailures,
            Quantiles stall, double quietStallMs, Quantiles serves, Quantiles providerGone, Quantiles latency, String state,
            boolean statePreserved, int loadersLeft, int loaders, String clientDeactivations, String error) {

        static final String FILE = "live-patch.csv";
        private static final String[] QUANTILES = {"stall", "serves", "provider_gone", "latency"};

        static Outcome of(Load load, Style style, Settings settings, Result r) {
            return new Outcome(load.label(), style, settings.updates(), r.successes + r.failures, r.failures, r.onDeactivated,
                    r.updatesWithFailures, Quantiles.of(r.stalls), r.quietStall / 1e6, Quantiles.of(r.serves),
                    Quantiles.of(r.providerGone), load.isOpen() ? Quantiles.of(r.latency) : Quantiles.NONE, r.state, r.statePreserved,
                    r.loadersLeft, r.loadersCount, r.clientDeactivations, r.error);
        }

        static void write(Path file, List<Outcome> outcomes) throws IOException {
            List<String> lines = new ArrayList<>();
            List<Object> header = new ArrayList<>(List.of("load", "style", "updates", "calls", "failed", "on_deactivated",
                    "updates_with_failures", "quiet_stall_ms"));
            for (String q : QUANTILES) {
                header.addAll(List.of(q + "_p50_ms", q + "_p99_ms", q + "_max_ms"));
            }
            header.addAll(List.of("state_kept", "state", "old_loaders_left", "old_loaders", "client_deactivations", "error"));
            lines.add(Csv.line(header.toArray()));
            for (Outcome o : outcomes) {
                List<Object> f = new ArrayList<>(List.of(o.load, o.style, o.updates, o.calls, o.failed, o.onDeactivated,
                        o.updatesWithFailures, ms(o.quietStallMs)));
                for (Quantiles q : List.of(o.stall, o.serves, o.providerGone, o.latency)) {
                    f.addAll(List.of(ms(q.p50()), ms(q.p99()), ms(q.max())));
                }
                f.addAll(Arrays.asList(o.statePreserved, o.state, o.loadersLeft, o.loaders, o.clientDeactivations,
                        o.error == null ? "" : o.error));
                lines.add(Csv.line(f.toArray()));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        }

        static List<Outcome> read(Path file) throws IOException {
            List<Outcome> outcomes = new ArrayList<>();
            for (Map<String, String> row : Csv.read(file)) {
                Quantiles[] q = new Quantiles[QUANTILES.length];
                for (int i = 0; i < q.length; i++) {
                    q[i] = new Quantiles(Double.parseDouble(row.get(QUANTILES[i] + "_p50_ms")),
                            Double.parseDouble(row.get(QUANTILES[i] + "_p99_ms")), Double.parseDouble(row.get(QUANTILES[i] + "_max_ms")));
                }
                String error = row.get("error");
                outcomes.add(new Outcome(row.get("load"), Style.valueOf(row.get("style")), Integer.parseInt(row.get("updates")),
                        Long.parseLong(row.get("calls")), Long.parseLong(row.get("failed")), Long.parseLong(row.get("on_deactivated")),
                        Integer.parseInt(row.get("updates_with_failures")), q[0], Double.parseDouble(row.get("quiet_stall_ms")), q[1], q[2],
                        q[3], row.get("state"), Boolean.parseBoolean(row.get("state_kept")), Integer.parseInt(row.get("old_loaders_left")),
                        Integer.parseInt(row.get("old_loaders")), row.get("client_deactivations"), error.isEmpty() ? null : error));
            }
            return outcomes;
        }

        private static String ms(double ms) {
            return String.format(Locale.ROOT, "%.3f", ms);
        }
    }

    private static Result run(Style style, Load load, Settings settings, Bundles bundles) throws Exception {
        Result result = new Result();
        try (EmbeddedFramework framework = style.container ? EmbeddedFramework.container(bundles.dist(), home -> {
            if (style.standIn) { // as an operator opts in: a configuration per provider component, in etc/
                for (String pid : STANDIN_PIDS) {
                    Files.writeString(home.resolve("etc/" + pid + ".cfg"), SwapComponents.STANDIN + " = true\n");
                }
            }
        }) : EmbeddedFramework.plain(bundles.dist())) {
            Bundle api = framework.installAndStart(bundles.sample("counter-api"));
            Bundle provider = framework.installAndStart(bundles.sample("counter-v1"));
            if (style.standIn) {
                awaitStandIn(framework);
            }
            Bundle client = style.needsClientBundle() ? framework.installAndStart(bundles.sample("counter-client")) : null;
            Class<?> type = (style == Style.DS_DYNAMIC ? client : api).loadClass(style.service);
            ServicePath path = new ServicePath(api.getBundleContext(), type, style.perCall);
            try {
                path.await(TimeUnit.SECONDS.toMillis(30));
                measure(style, framework, provider, path, load, settings, bundles, result);
                if (style.service.equals(COUNTER_CLIENT)) {
                    Object c = path.tracker.getService();
                    result.clientDeactivations = String.valueOf(type.getMethod("deactivations").invoke(c));
                }
            } finally {
                path.close();
            }
            countOldLoaders(framework, settings, result);
        } catch (Exception | Error e) {
            result.error = e.toString();
        }
        return result;
    }

    /** The component PIDs of the sample counter's providers, versions 1 and 2. */
    private static final List<String> STANDIN_PIDS = List.of("swap.sample.counter.v1.CounterV1", "swap.sample.counter.v2.CounterV2");


    /** Waits until FileInstall's configuration reached the provider's service (its first scan of etc/ waits a poll). */
    private static void awaitStandIn(EmbeddedFramework framework) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ServiceReference<?>[] refs = framework.context().getAllServiceReferences(null, ProviderWatch.FILTER);
            if (refs != null && Arrays.stream(refs).anyMatch(r -> "true".equals(String.valueOf(r.getProperty(SwapComponents.STANDIN))))) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the provider never got " + SwapComponents.STANDIN + "=true from etc/");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Warm-up (calls, then updates), a quiet stretch, then the measured updates, under {@code load}; then the state check.
     * {@code provider} is the running provider bundle (side by side, each update replaces it with another bundle).
     */
    private static void measure(Style style, EmbeddedFramework framework, Bundle provider, ServicePath path, Load load,
            Settings settings, Bundles bundles, Result result) throws Exception {
        int n = settings.updates();
        Schedule schedule = new Schedule(n);
        List<Caller> callers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < load.threads(); i++) {
            Caller caller = new Caller(path.newCall(), schedule, n, load);
            callers.add(caller);
            Thread t = new Thread(caller, "caller-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        // windows[u]: when update u began; windows[n]: when the last one's settling ended; quiet: the stretch before
        long[] windows = new long[n + 1];
        // with the run-queue diagnosis, waited[c][u]: caller c's run-queue wait so far when window u began
        long[][] waited = new long[load.threads()][n + 1];
        Safepoints safepoints = RunQueueClock.DIAGNOSE ? new Safepoints() : null;
        long quietStart;
        ProviderWatch watch = new ProviderWatch(schedule, result);
        framework.context().addServiceListener(watch, ProviderWatch.FILTER);
        ServiceReference<?>[] providers = framework.context().getAllServiceReferences(null, ProviderWatch.FILTER);
        watch.present = providers == null ? 0 : providers.length;
        threads.forEach(Thread::start);
        ServicePath.Call probe = path.newCall();
        if (UPDATER_NICE != 0) {
            ThreadNice.set(UPDATER_NICE); // after the callers started: they do not inherit it
        }
        try {
            pause(TimeUnit.MILLISECONDS.toNanos(settings.warmUpMillis()));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int warmUpdates = warmUpUpdates(n);
            for (int u = -warmUpdates; u < n; u++) {
                if (u == 0) {
                    schedule.slot = schedule.quiet;
                    quietStart = System.nanoTime();
                    pause(TimeUnit.MILLISECONDS.toNanos(settings.quietMillis()));
                    result.quietWindow = new long[] {quietStart, System.nanoTime()};
                }
                // an even count of warm-up updates: measured update 0 goes to version 2, as the first of a cold run would
                String version = (u & 1) == 0 ? "2" : "1";
                if (u >= 0) {
                    result.loaders.add(new WeakReference<>(provider.adapt(BundleWiring.class).getClassLoader()));
                }
                long t0 = System.nanoTime();
                if (u >= 0) {
                    windows[u] = t0;
                    runQueueWaits(callers, waited, u);
                }
                schedule.slot = u >= 0 ? u : schedule.ignored;
                Path jar = bundles.sample("counter-v" + version);
                if (style.sideBySide) {
                    provider = framework.replaceSideBySide(provider, jar, "#step-" + u);
                } else {
                    EmbeddedFramework.update(provider, jar);
                }
                long served = awaitVersion(probe, version, t0);
                if (u >= 0 && served < 0) {
                    result.unserved++;
                } else if (u >= 0) {
                    result.serves.recordValue(served);
                }
                pause(random.nextLong(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(3)));
            }
            windows[n] = System.nanoTime();
            runQueueWaits(callers, waited, n);
        } finally {
            if (UPDATER_NICE != 0) {
                ThreadNice.set(0);
            }
            framework.context().removeServiceListener(watch);
            schedule.slot = schedule.ignored;
            schedule.stop = true;
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        for (Caller c : callers) {
            c.mergeInto(result);
        }
        long[] stalls = new long[n];
        long[] latencies = new long[n];
        for (Caller c : callers) {
            c.gaps.chargeTo(windows, stalls);
            c.late.chargeTo(windows, latencies);
            result.quietStall = Math.max(result.quietStall, c.gaps.longestIn(result.quietWindow[0], result.quietWindow[1]));
        }
        if (safepoints != null) {
            try {
                if (!safepoints.awaitRead(Duration.ofSeconds(10))) {
                    result.safepointsUnread = true;
                }
                chargeLessWaits(callers, windows, waited, safepoints, result);
            } finally {
                safepoints.close();
            }
        }
        for (int u = 0; u < n; u++) {
            long failed = 0;
            for (Caller c : callers) {
                failed += c.failuresPerSlot[u];
            }
            if (failed > 0) {
                result.updatesWithFailures++;
            }
            result.stalls.recordValue(stalls[u]);
            if (load.isOpen()) {
                result.updateMaxLatency.recordValue(latencies[u]);
            }
        }
        checkState(probe, result);
    }

    /** With the run-queue diagnosis: each caller's run-queue wait so far, into {@code waited[c][u]}. */
    private static void runQueueWaits(List<Caller> callers, long[][] waited, int u) {
        if (!RunQueueClock.DIAGNOSE) {
            return;
        }
        for (int c = 0; c < callers.size(); c++) {
            RunQueueClock clock = callers.get(c).clock;
            waited[c][u] = clock == null ? 0 : clock.waitedNanos();
        }
    }

    /**
     * Per update: the longest stall left once each stall is shortened by the stalled caller's
     * run-queue wait in it (what the stall would have been had no caller waited for a CPU), and
     * each caller's whole run-queue wait during the update's window.
     */
    private static void chargeLessWaits(List<Caller> callers, long[] windows, long[][] waited, Safepoints safepoints, Result result)
            throws IOException {
        int n = windows.length - 1;
        long[] lessWaits = new long[n];
        long[] lessBoth = new long[n];
        for (int c = 0; c < callers.size(); c++) {
            callers.get(c).chargeGapsLess(windows, safepoints, lessWaits, lessBoth);
            for (int u = 0; u < n; u++) {
                result.runQueueWaits.recordValue(Math.max(0, waited[c][u + 1] - waited[c][u]));
            }
            RunQueueClock clock = callers.get(c).clock;
            if (clock != null) {
                clock.close();
            }
        }
        for (int u = 0; u < n; u++) {
            result.stallsLessWaits.recordValue(lessWaits[u]);
            result.stallsLessWaitsAndSafepoints.recordValue(lessBoth[u]);
        }
        result.safepoints = safepoints.count();
    }

    /** Updates before the measured ones, not measured: an even number, at least 6, a twentieth of {@code n}. */
    static int warmUpUpdates(int n) {
        return Math.max(6, n / 20) & ~1;
    }

    /** Nanoseconds from {@code t0} until {@code version()} answers {@code version}; -1 if not within the bound. */
    private static long awaitVersion(ServicePath.Call probe, String version, long t0) {
        while (true) {
            try {
                if (version.equals(probe.version())) {
                    return System.nanoTime() - t0;
                }
            } catch (Throwable notYet) {
                // no service, or a departing instance: ask again
            }
            if (System.nanoTime() - t0 > SERVE_TIMEOUT_NANOS) {
                return -1;
            }
            LockSupport.parkNanos(20_000);
        }
    }

    /** One more increment after the callers stopped: the count must be every successful increment plus one. */
    private static void checkState(ServicePath.Call probe, Result result) {
        try {
            long count = probe.increment() - 1;
            result.statePreserved = count == result.allSuccesses;
            result.state = result.statePreserved ? "kept" : String.format(Locale.ROOT, "lost (%,d of %,d)", count, result.allSuccesses);
        } catch (Throwable t) {
            result.state = "? (" + t + ")";
        }
    }

    /** After a refresh and a bounded wait for the collector: how many replaced revisions' class loaders are still reachable. */
    private static void countOldLoaders(EmbeddedFramework framework, Settings settings, Result result) throws InterruptedException {
        framework.refresh(10_000);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.gcWaitMillis());
        int left;
        do {
            System.gc();
            Thread.sleep(50);
            left = 0;
            for (WeakReference<ClassLoader> ref : result.loaders) {
                if (ref.get() != null) {
                    left++;
                }
            }
        } while (left > 0 && System.nanoTime() < deadline);
        result.loadersLeft = left;
        result.loadersCount = result.loaders.size();
        result.loaders.clear();
    }

    /** Parks for {@code nanos} (parking may return early: loop to the deadline). */
    private static void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /**
     * Times the provider's absence in each measured update: from the {@code UNREGISTERING} of the
     * last provider service to the {@code REGISTERED} of the next one, both delivered synchronously
     * on the updating thread. Side by side no update has such a window (two providers are
     * registered in between), and none is recorded. Registered with the system bundle's context,
     * which the swap framework's hooks let see the raw providers; an {@link AllServiceListener},
     * since the system bundle cannot load the counter's interface (a plain {@code ServiceListener}
     * would hear nothing).
     */
    static final class ProviderWatch implements AllServiceListener {
        static final String FILTER = "(&(" + Constants.OBJECTCLASS + "=" + COUNTER + ")(swap.component=*)(!(swap.front=*)))";
        private final Schedule schedule;
        private final Result result;
        /** Provider services registered: set once the watch listens, then kept by it. */
        int present;
        private long unregisteredAt;

        ProviderWatch(Schedule schedule, Result result) {
            this.schedule = schedule;
            this.result = result;
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            long now = System.nanoTime();
            int slot = schedule.slot;
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                if (--present == 0) {
                    unregisteredAt = now;
                }
            } else if (event.getType() == ServiceEvent.REGISTERED && present++ == 0 && unregisteredAt != 0) {
                if (slot < schedule.quiet) {
                    result.providerGone.recordValue(now - unregisteredAt);
                }
                unregisteredAt = 0;
            }
        }
    }

    // ---- callers ----

    /** Which slot the callers charge their gaps to, and when they stop; written by the updating thread. */
    static final class Schedule {
        final int quiet;
        final int ignored;
        volatile int slot;
        volatile boolean stop;

        Schedule(int updates) {
            quiet = updates;
            ignored = updates + 1;
            slot = ignored;
        }
    }

    /** One caller thread: closed loop, or open loop on a fixed schedule; everything it records is its own. */
    static final class Caller implements Runnable {
        private final ServicePath.Call call;
        private final Schedule schedule;
        private final Load load;
        /** Intervals with no successful call completing, longer than {@link #GAP_FLOOR_NANOS}. */
        final Intervals gaps = new Intervals();
        /** Open loop: calls later than {@link #GAP_FLOOR_NANOS}, as (intended start, end). */
        final Intervals late = new Intervals();
        final Histogram latency = new Histogram(HISTOGRAM_MAX, 3);
        final Map<String, long[]> failures = new HashMap<>();
        final long[] failuresPerSlot;
        long allSuccesses;
        long successes;
        long onDeactivated;
        private long lastSuccess;
        /** With the run-queue diagnosis: this caller's clock, set when it starts. */
        volatile RunQueueClock clock;
        /** With the run-queue diagnosis: each gap (start, end) and this caller's run-queue wait in it (to within CLOCK_PERIOD_NANOS). */
        private long[] gapWaits = new long[3 * 256];
        private int gapWaitsSize;
        private long clockReadAt;
        private long waitedAtRead;

        Caller(ServicePath.Call call, Schedule schedule, int updates, Load load) {
            this.call = call;
            this.schedule = schedule;
            this.load = load;
            this.failuresPerSlot = new long[updates + 2];
        }

        @Override
        public void run() {
            if (RunQueueClock.DIAGNOSE) {
                clock = RunQueueClock.ofCurrentThread();
            }
            lastSuccess = System.nanoTime();
            if (load.isOpen()) {
                openLoop();
            } else {
                closedLoop();
            }
            gaps.add(lastSuccess, System.nanoTime()); // the interval still open when the callers stop
        }

        private void closedLoop() {
            while (!schedule.stop) {
                try {
                    call.increment();
                    succeeded(System.nanoTime(), -1);
                } catch (Throwable t) {
                    failed(t);
                    LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                }
            }
        }

        /**
         * Calls at intended times {@code start + k * interval}; a late call goes at once (the loop
         * catches up), and its latency counts from its intended time.
         */
        private void openLoop() {
            long interval = TimeUnit.SECONDS.toNanos(1) / load.callsPerSecond();
            long intended = System.nanoTime();
            while (!schedule.stop) {
                long now;
                while ((now = System.nanoTime()) < intended) {
                    if (intended - now > 100_000) {
                        LockSupport.parkNanos(intended - now - 50_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                try {
                    call.increment();
                    long end = System.nanoTime();
                    succeeded(end, end - intended);
                } catch (Throwable t) {
                    failed(t);
                }
                intended += interval;
            }
        }

        private void succeeded(long now, long latencyNanos) {
            allSuccesses++;
            if (schedule.slot != schedule.ignored) {
                successes++;
            }
            gaps.add(lastSuccess, now);
            if (RunQueueClock.DIAGNOSE && clock != null) { // a constant: nothing on the call path without the diagnosis
                chargeRunQueueWait(now);
            }
            lastSuccess = now;
            if (latencyNanos >= 0) {
                latency.recordValue(Math.min(latencyNanos, HISTOGRAM_MAX));
                late.add(now - latencyNanos, now);
            }
        }

        /**
         * Reads this caller's run-queue clock after a gap, and otherwise every CLOCK_PERIOD_NANOS,
         * so that the wait in a gap is known to within that period (each read is a system call:
         * not on every call).
         */
        private void chargeRunQueueWait(long now) {
            if (now - lastSuccess > GAP_FLOOR_NANOS) {
                long waited = clock.waitedNanos();
                if (gapWaitsSize + 3 > gapWaits.length) {
                    gapWaits = Arrays.copyOf(gapWaits, 2 * gapWaits.length);
                }
                gapWaits[gapWaitsSize++] = lastSuccess;
                gapWaits[gapWaitsSize++] = now;
                gapWaits[gapWaitsSize++] = Math.min(waited - waitedAtRead, now - lastSuccess);
                waitedAtRead = waited;
                clockReadAt = now;
            } else if (now - clockReadAt > CLOCK_PERIOD_NANOS) {
                waitedAtRead = clock.waitedNanos();
                clockReadAt = now;
            }
        }

        /**
         * Into {@code lessWaits} and {@code lessBoth}: per window, this caller's longest gap once
         * shortened by its run-queue wait in it, and by that wait and the safepoints in it.
         */
        void chargeGapsLess(long[] windows, Safepoints safepoints, long[] lessWaits, long[] lessBoth) {
            Intervals waits = new Intervals();
            Intervals both = new Intervals();
            for (int i = 0; i < gapWaitsSize; i += 3) {
                long start = gapWaits[i];
                long end = gapWaits[i + 1];
                long wait = gapWaits[i + 2];
                waits.add(start, end - wait);
                both.add(start, Math.max(start, end - wait - safepoints.overlap(start, end)));
            }
            waits.chargeTo(windows, lessWaits);
            both.chargeTo(windows, lessBoth);
        }

        private void failed(Throwable t) {
            int slot = schedule.slot;
            if (slot == schedule.ignored) {
                return; // warm-up or tear-down
            }
            failuresPerSlot[slot]++;
            String message = t.getMessage();
            if (message != null && message.contains(DEACTIVATED)) {
                onDeactivated++;
            }
            failures.computeIfAbsent(cause(t), k -> new long[1])[0]++;
        }

        void mergeInto(Result result) {
            result.allSuccesses += allSuccesses;
            result.successes += successes;
            result.onDeactivated += onDeactivated;
            failures.forEach((cause, count) -> {
                result.failures += count[0];
                result.causes.merge(cause, count[0], Long::sum);
            });
            result.latency.add(latency);
        }
    }

    /**
     * Intervals (start, end) longer than {@link #GAP_FLOOR_NANOS}, recorded by one thread, and charged
     * afterwards to the update windows they overlap. Charging by time, not by the update in progress
     * when a call completes, keeps a caller that the scheduler kept off the CPU for a whole update
     * from moving that update's stall to the next one.
     */
    static final class Intervals {
        private long[] bounds = new long[1024];
        private int size;

        void add(long start, long end) {
            if (end - start <= GAP_FLOOR_NANOS) {
                return;
            }
            if (size + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[size++] = start;
            bounds[size++] = end;
        }

        /** For each window {@code [windows[u], windows[u + 1])}: the longest interval that overlaps it, into {@code longest[u]}. */
        void chargeTo(long[] windows, long[] longest) {
            for (int i = 0; i < size; i += 2) {
                long start = bounds[i];
                long end = bounds[i + 1];
                for (int u = 0; u < longest.length; u++) {
                    if (start < windows[u + 1] && end > windows[u]) {
                        longest[u] = Math.max(longest[u], end - start);
                    }
                }
            }
        }

        /** The longest interval overlapping {@code [from, to)}. */
        long longestIn(long from, long to) {
            long longest = 0;
            for (int i = 0; i < size; i += 2) {
                if (bounds[i] < to && bounds[i + 1] > from) {
                    longest = Math.max(longest, bounds[i + 1] - bounds[i]);
                }
            }
            return longest;
        }
    }

    /** Exception class and message, shortened, as the failure's group. */
    static String cause(Throwable t) {
        if (t instanceof NoServiceException) {
            return t.getMessage();
        }
        String message = t.getMessage() == null ? "(no message)" : t.getMessage().replaceAll("\\s+", " ");
        if (message.length() > 90) {
            message = message.substring(0, 87) + "...";
        }
        return t.getClass().getName() + ": " + message;
    }

    // ---- the way into the framework ----

    /** A call that found no service: preallocated, no stack trace. */
    static final class NoServiceException extends Exception {
        private static final long serialVersionUID = 1L;

        NoServiceException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Calls through a service that a {@link ServiceTracker} finds, through method handles. With
     * {@code perCall} every call asks the tracker; otherwise each {@link Call} keeps the service
     * object it got and asks again only when the tracker has seen a service go, or after a failed call.
     */
    static final class ServicePath implements AutoCloseable {
        final ServiceTracker<Object, Object> tracker;
        private final MethodHandle increment;
        private final MethodHandle version;
        private final Class<?> type;
        private final boolean perCall;
        private final AtomicInteger removals = new AtomicInteger();
        private final NoServiceException none;

        ServicePath(BundleContext context, Class<?> type, boolean perCall) throws ReflectiveOperationException {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            this.increment = lookup.unreflect(type.getMethod("increment")).asType(MethodType.methodType(long.class, Object.class));
            this.version = lookup.unreflect(type.getMethod("version")).asType(MethodType.methodType(String.class, Object.class));
            this.type = type;
            this.perCall = perCall;
            this.none = new NoServiceException("no " + type.getSimpleName() + " service (tracker empty)");
            this.tracker = new ServiceTracker<>(context, type.getName(), null) {
                @Override
                public void removedService(ServiceReference<Object> reference, Object service) {
                    removals.incrementAndGet();
                    super.removedService(reference, service);
                }
            };
            tracker.open();
        }

        void await(long millis) throws InterruptedException {
            if (tracker.waitForService(millis) == null) {
                throw new IllegalStateException("no " + type.getName() + " service within " + millis + " ms");
            }
        }

        Call newCall() {
            return new Call();
        }

        @Override
        public void close() {
            tracker.close();
        }

        /** One thread's way of calling: not thread-safe. */
        final class Call {
            private Object held;
            private int seenRemovals = -1;

            long increment() throws Throwable {
                Object target = target();
                try {
                    return (long) increment.invokeExact(target);
                } catch (Throwable t) {
                    held = null; // obtain it again next time
                    throw t;
                }
            }

            String version() throws Throwable {
                Object target = target();
                try {
                    return (String) version.invokeExact(target);
                } catch (Throwable t) {
                    held = null;
                    throw t;
                }
            }

            private Object target() throws NoServiceException {
                Object s;
                if (perCall) {
                    s = tracker.getService();
                } else {
                    int seen = removals.get();
                    if (held == null || seen != seenRemovals) {
                        seenRemovals = seen;
                        held = tracker.getService();
                    }
                    s = held;
                }
                if (s == null) {
                    throw none;
                }
                return s;
            }
        }
    }

    // ---- the report ----

    private static void report(PrintStream out, Load load, Settings settings, Map<Style, Result> results) {
        out.println();
        out.printf(Locale.ROOT, "== %s: %d updates per style ==%n", load.label(), settings.updates());
        out.printf(Locale.ROOT, "%-41s %11s %9s %7s %7s | %-23s %7s | %-20s | %-20s | %-26s %-8s %s%n", "style", "calls", "failed",
                "on deac", "upd w/f", "stall/update p50 p99 max", "quiet", "serves p50 p99 max", "provider gone", "state", "old CLs",
                "client deact.");
        for (Map.Entry<Style, Result> e : results.entrySet()) {
            Result r = e.getValue();
            if (r.error != null) {
                out.printf(Locale.ROOT, "%-41s FAILED: %s%n", e.getKey().label, r.error);
                continue;
            }
            out.printf(Locale.ROOT, "%-41s %,11d %,9d %,7d %7d | %-23s %7s | %-20s | %-20s | %-26s %-8s %s%n", e.getKey().label,
                    r.successes + r.failures, r.failures, r.onDeactivated, r.updatesWithFailures, triple(r.stalls), ms(r.quietStall),
                    triple(r.serves), triple(r.providerGone), r.state, r.loadersLeft + "/" + r.loadersCount, r.clientDeactivations);
        }
        if (load.isOpen()) {
            for (Map.Entry<Style, Result> e : results.entrySet()) {
                Result r = e.getValue();
                if (r.error == null) {
                    out.printf(Locale.ROOT, "  latency from intended start, %-41s all calls p50 %s p99 %s p99.9 %s max %s;"
                            + " max per update p50 %s p99 %s max %s%n", e.getKey().label + ":", ms(r.latency.getValueAtPercentile(50)),
                            ms(r.latency.getValueAtPercentile(99)), ms(r.latency.getValueAtPercentile(99.9)), ms(r.latency.getMaxValue()),
                            ms(r.updateMaxLatency.getValueAtPercentile(50)), ms(r.updateMaxLatency.getValueAtPercentile(99)),
                            ms(r.updateMaxLatency.getMaxValue()));
                }
            }
        }
        if (RunQueueClock.DIAGNOSE) {
            for (Map.Entry<Style, Result> e : results.entrySet()) {
                Result r = e.getValue();
                if (r.error == null) {
                    out.printf(Locale.ROOT, "  run queue, %-41s stall/update less the stalled caller's run-queue wait in it p50 p99 max %s;"
                            + " less that and safepoints %s (%d safepoints%s); a caller's run-queue wait per update p50 p99 max %s%n",
                            e.getKey().label + ":", triple(r.stallsLessWaits), triple(r.stallsLessWaitsAndSafepoints), r.safepoints,
                            r.safepointsUnread ? ", the last may be missing" : "", triple(r.runQueueWaits));
                }
            }
        }
        for (Map.Entry<Style, Result> e : results.entrySet()) {
            Result r = e.getValue();
            if (r.unserved > 0) {
                out.printf(Locale.ROOT, "  %s: %d updates did not serve the new version within %d s%n", e.getKey().label, r.unserved,
                        TimeUnit.NANOSECONDS.toSeconds(SERVE_TIMEOUT_NANOS));
            }
            if (!r.causes.isEmpty()) {
                out.printf(Locale.ROOT, "  failed calls, %s:%n", e.getKey().label);
                r.causes.forEach((cause, count) -> out.printf(Locale.ROOT, "    %,9d  %s%n", count, cause));
            }
        }
        for (Map.Entry<Style, Result> e : results.entrySet()) {
            Result swap = e.getValue();
            if (!e.getKey().container || swap.error != null) {
                continue;
            }
            for (Style plain : Style.PLAIN) {
                Result p = results.get(plain);
                if (p != null && p.error == null) {
                    out.printf(Locale.ROOT, "  %s : %-41s stall p50 %s, p99 %s, max %s; failed calls %,d : %,d%n", e.getKey().label,
                            plain.label, ratio(swap.stalls.getValueAtPercentile(50), p.stalls.getValueAtPercentile(50)),
                            ratio(swap.stalls.getValueAtPercentile(99), p.stalls.getValueAtPercentile(99)),
                            ratio(swap.stalls.getMaxValue(), p.stalls.getMaxValue()), swap.failures, p.failures);
                }
            }
        }
    }

    private static void legend(PrintStream out, Settings settings) {
        out.println("(calls from the quiet stretch on; on deac: calls that reached a deactivated instance; upd w/f: updates with a"
                + " failed call; times in ms; stall/update: the longest interval without a successful call, max over callers;"
                + " quiet: the same over " + settings.quietMillis() + " ms with no update; serves: from update() (side by side:"
                + " installBundle()) until version() answers the new version; provider gone: from the old provider service's"
                + " unregistration to the new one's registration (- if never absent); old CLs: replaced revisions' class loaders"
                + " still reachable after refresh and GC)");
    }


    /** The targets for each swap style, per load. */
    private static void summary(PrintStream out, List<Load> loads, List<Map<Style, Result>> all) {
        out.println();
        out.println("== targets for swap: 0 failed calls, 0 calls on a deactivated instance, longest stall per update <= 10 ms"
                + " and <= 0.1 x the plain-OSGi outage (p50 against p50) of the same run ==");
        for (int i = 0; i < loads.size(); i++) {
            for (Map.Entry<Style, Result> e : all.get(i).entrySet()) {
                if (e.getKey().container) {
                    target(out, loads.get(i), e.getKey(), e.getValue(), all.get(i));
                }
            }
        }
    }

    /** One swap style's line of the targets, for one load. */
    private static void target(PrintStream out, Load load, Style style, Result swap, Map<Style, Result> results) {
        if (swap.error != null) {
            out.printf(Locale.ROOT, "%-26s %-37s run failed: %s%n", load.label(), style.label, swap.error);
            return;
        }
        StringBuilder ratios = new StringBuilder();
        boolean tenth = true;
        for (Style plain : Style.PLAIN) {
            Result p = results.get(plain);
            if (p != null && p.error == null) {
                double r = (double) swap.stalls.getValueAtPercentile(50) / Math.max(1, p.stalls.getValueAtPercentile(50));
                tenth &= r <= 0.1;
                ratios.append(String.format(Locale.ROOT, " %.3f", r));
            }
        }
        long max = swap.stalls.getMaxValue();
        out.printf(Locale.ROOT, "%-26s %-37s failed %,d [%s]; on deactivated %,d [%s]; stall max %s ms [%s]; p50 ratio to plain%s"
                + " [%s]; state %s; client deactivated %s%n", load.label(), style.label, swap.failures, met(swap.failures == 0),
                swap.onDeactivated, met(swap.onDeactivated == 0), ms(max), met(max <= TimeUnit.MILLISECONDS.toNanos(10)), ratios,
                met(tenth), swap.state, swap.clientDeactivations);
    }

    private static String met(boolean ok) {
        return ok ? "met" : "MISSED";
    }

    private static String triple(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        return ms(h.getValueAtPercentile(50)) + " " + ms(h.getValueAtPercentile(99)) + " " + ms(h.getMaxValue());
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.3fx", (double) a / Math.max(1, b));
    }
}

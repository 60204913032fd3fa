package swap.console.internal;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.interpose.Wrapper;
import swap.interpose.WrapperHandle;
import swap.interpose.wrappers.CallCounter;
import swap.interpose.wrappers.ConcurrencyMonitor;
import swap.interpose.wrappers.LatencyHistogram;
import swap.interpose.wrappers.Tracer;
import swap.osgi.SwapComponents;
import swap.osgi.SwapPlan;
import swap.ott.Entry;
import swap.ott.EntryDTO;
import swap.ott.ObjectTranslationTable;
import swap.policy.SwapPolicy;

/**
 * The {@code swap:} commands of the Gogo shell. Results are typed ({@link EntryDTO},
 * {@link SwapResult}, {@link SwapPlan}, {@link Views}) and rendered by {@link SwapConverter};
 * errors are exceptions with a one-line message naming the fault (Gogo prints
 * {@code gogo: IllegalArgumentException: ...}, and scripts see {@code $exception}). A command
 * that fails changes nothing.
 */
// immediate: Gogo ungets a command service after each call, and a delayed component would then be
// deactivated, losing the wrappers attached from the shell
@Component(service = SwapCommands.class, immediate = true, property = {
        "osgi.command.scope=swap",
        "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=swap",
        "osgi.command.function=null", "osgi.command.function=dryrun", "osgi.command.function=interpose",
        "osgi.command.function=detach", "osgi.command.function=history", "osgi.command.function=stats",
        "osgi.command.function=upgrade", "osgi.command.function=policy"})
public class SwapCommands {

    static final String POLICY_USAGE = "usage: swap:policy [list | on <name> | off <name>]";

    /** The policies installed (a dynamic reference: policies come and go with their bundles). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<SwapPolicy> policies = List.of();

    /** The wrappers {@code swap:interpose} knows, by name. */
    static final List<String> WRAPPERS = List.of("counter", "latency", "tracer", "concurrency");

    private final ObjectTranslationTable table;
    private final SwapComponents components;
    private final BundleContext context;
    /** Wrappers attached from the shell, per entry, so that detach can name them. */
    private final Map<String, List<Attached>> attached = new ConcurrentHashMap<>();

    /** A wrapper attached from the shell, and its handle. */
    private record Attached(Wrapper wrapper, WrapperHandle handle) {
    }

    @Activate
    public SwapCommands(@Reference ObjectTranslationTable table, @Reference SwapComponents components, BundleContext context) {
        this.table = table;
        this.components = components;
        this.context = context;
    }

    @Descriptor("lists the swappable entries: id, interface, implementation, provider bundle and version, mode, calls")
    public Views.EntryList list() {
        return new Views.EntryList(table.list());
    }

    @Descriptor("shows one entry, with its state transfer protocols and its wrappers")
    public EntryDTO info(@Descriptor("entry id (see swap:list)") String id) {
        return entry(id).snapshot();
    }

    @Descriptor("swaps an entry to another implementation, named by its swap.impl or by an LDAP filter over the factories' properties")
    public SwapResult swap(
            @Descriptor("timeout of each try, in milliseconds") @Parameter(names = "--timeout", absentValue = "500") long timeout,
            @Descriptor("how many tries") @Parameter(names = "--tries", absentValue = "3") int tries,
            @Descriptor("entry id (see swap:list)") String id,
            @Descriptor("implementation name (swap.impl) or LDAP filter in quotes, e.g. '(fcm.optimized.for=sequential)'") String target) {
        Entry<?> entry = entry(id);
        SwapOptions options = options(timeout, tries);
        if (components.instances(component(entry)).contains(id)) {
            return components.swap(entry, filterFor(target), options, "shell: swap:swap " + id + " " + target);
        }
        if (table.factories().contains(target)) {
            return entry.swap(SwapTarget.factory(target), options, "shell: swap:swap " + id + " " + target);
        }
        throw new IllegalArgumentException("entry " + id + ": no implementation named " + target
                + " (it was not made by a factory service, and the table has no factory of that name)");
    }

    /** {@code swap:null} (Gogo finds it as the getter of "null", which cannot be a Java method name). */
    @Descriptor("null swap: replaces an entry's instance with a fresh one of the same implementation, state and all")
    public SwapResult getNull(
            @Descriptor("timeout of each try, in milliseconds") @Parameter(names = "--timeout", absentValue = "500") long timeout,
            @Descriptor("how many tries") @Parameter(names = "--tries", absentValue = "3") int tries,
            @Descriptor("entry id (see swap:list)") String id) {
        return entry(id).swap(SwapTarget.fresh(), options(timeout, tries), "shell: swap:null " + id);
    }

    @Descriptor("tells what swap:swap would do (implementation, protocol, or why it would be refused) without doing it")
    public SwapPlan dryrun(@Descriptor("entry id (see swap:list)") String id,
            @Descriptor("implementation name (swap.impl) or LDAP filter in quotes") String target) {
        Entry<?> entry = entry(id);
        if (!components.instances(component(entry)).contains(id)) {
            throw new IllegalArgumentException("entry " + id + ": dry runs are for entries made by factory services");
        }
        return components.plan(entry, filterFor(target));
    }

    @Descriptor("attaches a wrapper to a live entry: counter, latency, tracer or concurrency")
    public EntryDTO interpose(
            @Descriptor("only these methods (comma-separated); all if absent") @Parameter(names = "--methods", absentValue = "*") String methods,
            @Descriptor("entry id (see swap:list)") String id,
            @Descriptor("wrapper: counter, latency, tracer or concurrency") String wrapper) {
        Entry<?> entry = entry(id);
        Wrapper w = switch (wrapper) {
            case "counter" -> new CallCounter();
            case "latency" -> new LatencyHistogram();
            case "tracer" -> new Tracer();
            case "concurrency" -> new ConcurrencyMonitor();
            default -> throw new IllegalArgumentException("no wrapper named " + wrapper + " (wrappers: " + String.join(", ", WRAPPERS) + ")");
        };
        String[] names = methods == null || methods.equals("*") ? new String[0]
                : Arrays.stream(methods.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toArray(String[]::new);
        WrapperHandle handle = names.length == 0 ? entry.attach(w) : entry.attach(w, names);
        attached.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new Attached(w, handle));
        return entry.snapshot();
    }

    @Descriptor("detaches the wrappers attached from the shell: all of them, or those with one name")
    public EntryDTO detach(@Descriptor("entry id (see swap:list)") String id) {
        return detach(id, null);
    }

    @Descriptor("detaches the wrappers attached from the shell: all of them, or those with one name")
    public EntryDTO detach(@Descriptor("entry id (see swap:list)") String id,
            @Descriptor("wrapper name as swap:info shows it, e.g. latency") String wrapper) {
        Entry<?> entry = entry(id);
        List<Attached> handles = attached.getOrDefault(id, List.of());
        List<Attached> chosen = handles.stream().filter(a -> wrapper == null || a.wrapper().name().equals(wrapper)).toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("entry " + id + ": no wrapper" + (wrapper == null ? "" : " named " + wrapper)
                    + " attached from the shell");
        }
        chosen.forEach(a -> a.handle().detach());
        handles.removeAll(chosen);
        return entry.snapshot();
    }

    @Descriptor("the most recent swaps, oldest first: outcome, phase timings, reason")
    public Views.History history(@Descriptor("how many") @Parameter(names = "-n", absentValue = "20") int n) {
        return history(n, null);
    }

    @Descriptor("the most recent swaps of one entry, oldest first")
    public Views.History history(@Descriptor("how many") @Parameter(names = "-n", absentValue = "20") int n,
            @Descriptor("entry id") String id) {
        if (n <= 0) {
            throw new IllegalArgumentException("-n must be positive, not " + n);
        }
        List<SwapResult> all = table.history().stream().filter(r -> id == null || r.entryId.equals(id)).toList();
        return new Views.History(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    @Descriptor("the latency histogram of a latency wrapper attached from the shell")
    public Views.Stats stats(@Descriptor("entry id (see swap:list)") String id) {
        entry(id);
        return attached.getOrDefault(id, List.of()).stream().map(Attached::wrapper)
                .filter(LatencyHistogram.class::isInstance).map(w -> new Views.Stats(id, ((LatencyHistogram) w).snapshot()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("entry " + id
                        + ": no latency wrapper attached (swap:interpose " + id + " latency)"));
    }

    @Descriptor("installs a new version of a bundle side by side, lets every instance move to it, then uninstalls the old one")
    public Views.Upgrade upgrade(@Descriptor("bundle id") long bundleId, @Descriptor("URL of the new version") String url)
            throws BundleException {
        Bundle old = context.getBundle(bundleId);
        if (old == null) {
            throw new IllegalArgumentException("no bundle " + bundleId);
        }
        URI uri;
        try {
            uri = URI.create(url);
            uri.toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("malformed URL " + url);
        }
        int before = table.history().size();
        Bundle fresh;
        try (InputStream in = uri.toURL().openStream()) {
            fresh = context.installBundle(url + "#upgrade-of-" + bundleId + "-" + System.nanoTime(), in);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + url + ": " + e.getMessage());
        } catch (BundleException e) {
            throw new IllegalArgumentException("cannot install " + url + ": " + e.getMessage());
        }
        if (Objects.equals(fresh.getVersion(), old.getVersion()) || !Objects.equals(fresh.getSymbolicName(), old.getSymbolicName())) {
            String why = !Objects.equals(fresh.getSymbolicName(), old.getSymbolicName())
                    ? url + " is " + fresh.getSymbolicName() + ", not " + old.getSymbolicName()
                    : url + " has the same version as bundle " + bundleId + " (" + old.getVersion() + ")";
            fresh.uninstall();
            throw new IllegalArgumentException(why);
        }
        try {
            fresh.start();
        } catch (BundleException e) {
            fresh.uninstall();
            throw new IllegalArgumentException(fresh.getSymbolicName() + " " + fresh.getVersion() + " did not start: " + e.getMessage());
        }
        old.uninstall(); // the remaining instances move now (an older version takes over only when the newer goes)
        awaitQuiet(Duration.ofSeconds(5));
        List<SwapResult> history = table.history();
        return new Views.Upgrade(old.getSymbolicName(), old.getVersion().toString(), fresh.getBundleId(), fresh.getVersion().toString(),
                history.subList(Math.min(before, history.size()), history.size()));
    }

    @Descriptor("lists the swap policies: name, on or off, entries watched, what each does")
    public Views.Policies policy() {
        return new Views.Policies(policies.stream().map(Views.PolicyView::of)
                .sorted(java.util.Comparator.comparing(Views.PolicyView::name)).toList());
    }

    @Descriptor("lists the swap policies")
    public Views.Policies policy(@Descriptor("list") String action) {
        if (!action.equals("list")) {
            throw new IllegalArgumentException(POLICY_USAGE);
        }
        return policy();
    }

    @Descriptor("switches a swap policy on or off (until its configuration changes)")
    public Views.Policies policy(@Descriptor("on | off") String action, @Descriptor("policy name (see swap:policy)") String name) {
        boolean on = switch (action) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException(POLICY_USAGE);
        };
        SwapPolicy policy = policies.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no policy " + name + " (swap:policy lists them)"));
        policy.setEnabled(on);
        return new Views.Policies(List.of(Views.PolicyView.of(policy)));
    }

    // ---- helpers ----

    private Entry<?> entry(String id) {
        return table.lookup(id).orElseThrow(() -> new IllegalArgumentException("no entry " + id + " (swap:list shows them)"));
    }

    private static String component(Entry<?> entry) {
        int slash = entry.id().lastIndexOf('/');
        return slash < 0 ? entry.id() : entry.id().substring(0, slash);
    }

    private static String filterFor(String target) {
        return target.startsWith("(") ? target : "(swap.impl=" + target + ")";
    }

    private static SwapOptions options(long timeout, int tries) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("--timeout must be positive, not " + timeout);
        }
        if (tries <= 0) {
            throw new IllegalArgumentException("--tries must be positive, not " + tries);
        }
        return SwapOptions.defaults().withTimeout(Duration.ofMillis(timeout)).withTries(tries);
    }

    /** Waits (bounded) until no entry is swapping. */
    private void awaitQuiet(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (table.list().stream().anyMatch(e -> e.mode == swap.ott.Mode.SWAPPING) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static List<String> copy(List<String> list) {
        return list == null ? List.of() : new ArrayList<>(list);
    }
}

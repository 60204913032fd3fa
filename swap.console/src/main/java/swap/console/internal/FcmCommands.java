package swap.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FcmProperties;
import swap.fcm.workload.MixedParameters;
import swap.fcm.workload.PostmarkParameters;
import swap.fcm.workload.SdetParameters;
import swap.fcm.workload.StreamParameters;
import swap.fcm.workload.Workload;
import swap.fcm.workload.Workloads;
import swap.hotswap.ComponentFactory;
import swap.osgi.SwapComponents;

/**
 * The {@code fcm:} commands of the Gogo shell: FCM workloads ({@link Workloads}) run in the
 * background over caches made through the swap framework, so that the FCM policies (and
 * {@code swap:swap}) adapt them while they run. Results are typed ({@link Views}) and rendered by
 * {@link SwapConverter}; errors are {@link IllegalArgumentException}s with a one-line message
 * naming the fault, and a command that fails starts nothing.
 */
// immediate: Gogo ungets a command service after each call, and a delayed component would then be
// deactivated, stopping the runs started from the shell
@Component(service = FcmCommands.class, immediate = true, property = {
        "osgi.command.scope=fcm", "osgi.command.function=workload", "osgi.command.function=workloads"})
public class FcmCommands {

    /*
     * Runs: a map from id to WorkloadRun, oldest first, guarded by `lock`, with the next id and
     * whether the component is deactivating. A run is put in the map before its thread starts and
     * stays there while it is in progress; once more than KEPT runs are done, the oldest done runs
     * are dropped when the next run starts. Each run has its own daemon thread (named for the run
     * and the workload) and its own opener, so runs share nothing but the frame pool and the swap
     * framework. Waits for runs (stop, deactivation) are bounded by STOP_WAIT and
     * DEACTIVATION_WAIT; when one fires it is logged with the run's stack, and the run goes on
     * ending by itself (it was asked to stop; its own waits are bounded by its control's bound).
     */

    static final String USAGE = "usage: fcm:workload [list | stop <id> | [options] <" + String.join("|", Workloads.names()) + ">]";
    /** Done runs kept for {@code fcm:workload list}. */
    static final int KEPT = 20;
    /** How long {@code fcm:workload stop} waits for the run to end. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** How long deactivation waits for all the runs to end. */
    static final Duration DEACTIVATION_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(FcmCommands.class);

    private final SwapComponents components;
    private final BundleContext context;
    /** Where each run makes its own directory: {@code <swap.home>/data/workloads}, else java.io.tmpdir. */
    private final Path scratch;

    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Map<Integer, WorkloadRun> runs = new LinkedHashMap<>();
    /** Guarded by lock. */
    private int nextId = 1;
    /** Guarded by lock: set on deactivation, after which nothing starts. */
    private boolean closed;

    @Activate
    public FcmCommands(@Reference SwapComponents components, BundleContext context) {
        this.components = components;
        this.context = context;
        String home = context.getProperty("swap.home");
        this.scratch = home == null ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(home, "data", "workloads");
    }

    @Deactivate
    void deactivate() {
        List<WorkloadRun> running;
        synchronized (lock) {
            closed = true;
            running = runs.values().stream().filter(r -> !r.isDone()).toList();
        }
        running.forEach(WorkloadRun::stop);
        long deadline = System.nanoTime() + DEACTIVATION_WAIT.toNanos();
        for (WorkloadRun run : running) {
            if (!run.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.warn("run {} did not end within {} ms of the deactivation; it goes on ending by itself:\n{}", run.id,
                        DEACTIVATION_WAIT.toMillis(), run.stack());
            }
        }
        if (!running.isEmpty()) {
            LOG.info("stopped {} workload runs on deactivation", running.size());
        }
    }

    @Descriptor("starts an FCM workload in the background, over caches made through the swap framework: postmark, sdet, stream or sdet+stream")
    public Object workload(
            @Descriptor("the workload's quick parameters (a run of about a second) instead of its defaults") @Parameter(names = "--quick", presentValue = "true", absentValue = "false") boolean quick,
            @Descriptor("concurrent SDET scripts (sdet, sdet+stream)") @Parameter(names = "--scripts", absentValue = "") String scripts,
            @Descriptor("commands of each SDET script (sdet, sdet+stream)") @Parameter(names = "--commands", absentValue = "") String commands,
            @Descriptor("concurrent streams (stream, sdet+stream)") @Parameter(names = "--streams", absentValue = "") String streams,
            @Descriptor("files: Postmark's initial files, SDET's shared working set (postmark, sdet, sdet+stream)") @Parameter(names = "--files", absentValue = "") String files,
            @Descriptor("Postmark transactions (postmark)") @Parameter(names = "--transactions", absentValue = "") String transactions,
            @Descriptor("LDAP filter in quotes over the FCM factories' properties, e.g. '(swap.impl=shared)'; the best of any if absent") @Parameter(names = "--filter", absentValue = "") String filter,
            @Descriptor("postmark, sdet, stream or sdet+stream; or list") String name) {
        if (name.equals("list")) {
            return workloads();
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--scripts", scripts);
        options.put("--commands", commands);
        options.put("--streams", streams);
        options.put("--files", files);
        options.put("--transactions", transactions);
        options.values().removeIf(String::isEmpty);
        Workload workload = workload(name, quick, new Options(options));
        String fcmFilter = filter.isBlank() ? null : filter.strip();
        requireFactory(fcmFilter);
        return start(workload, fcmFilter);
    }

    /**
     * {@code fcm:workload stop <id>}. Gogo also offers {@code fcm:workload --quick <name>} to this
     * method (two words, and the flag is not an option here), so that form is passed on.
     */
    @Descriptor("stops a run and waits a few seconds for it to end")
    public Object workload(@Descriptor("stop") String action, @Descriptor("run id (see fcm:workload list)") String id) {
        if (action.equals("--quick")) {
            return workload(true, "", "", "", "", "", "", id);
        }
        if (!action.equals("stop")) {
            throw new IllegalArgumentException(USAGE);
        }
        WorkloadRun run;
        synchronized (lock) {
            run = runs.get(runId(id));
        }
        if (run == null) {
            throw new IllegalArgumentException("no run " + id + " (fcm:workload list shows them)");
        }
        run.stop();
        if (!run.awaitEnd(STOP_WAIT)) {
            LOG.warn("run {} did not end within {} ms of fcm:workload stop; it goes on ending by itself:\n{}", run.id,
                    STOP_WAIT.toMillis(), run.stack());
        }
        return new Views.WorkloadRuns(List.of(run.row()));
    }

    @Descriptor("lists the workload runs started from the shell: id, workload, phase, operations done/planned, elapsed, result")
    public Views.WorkloadRuns workload() {
        return workloads();
    }

    @Descriptor("lists the workload runs started from the shell: id, workload, phase, operations done/planned, elapsed, result")
    public Views.WorkloadRuns workloads() {
        List<WorkloadRun> all;
        synchronized (lock) {
            all = new ArrayList<>(runs.values());
        }
        return new Views.WorkloadRuns(all.stream().map(WorkloadRun::row).toList());
    }

    // ---- helpers ----

    /** The options given on the command line, by name; each is used once or refused. */
    private record Options(Map<String, String> given) {

        /** The option's value as a number, or {@code otherwise} if it was not given. */
        int get(String option, int otherwise) {
            String value = given.remove(option);
            if (value == null) {
                return otherwise;
            }
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, not " + value);
            }
        }

        /** Refuses the options left over: they do not apply to {@code workload}. */
        void requireUsed(String workload, String applicable) {
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", given.keySet()) + (given.size() == 1 ? " does" : " do")
                        + " not apply to " + workload + " (it takes " + applicable + ")");
            }
        }
    }

    /** The workload named {@code name}, its parameters from the options; the parameter records check the numbers. */
    private static Workload workload(String name, boolean quick, Options o) {
        Workload workload = switch (name) {
            case Workloads.POSTMARK -> {
                PostmarkParameters p = quick ? PostmarkParameters.quick() : PostmarkParameters.defaults();
                p = p.withFiles(o.get("--files", p.files())).withTransactions(o.get("--transactions", p.transactions()));
                o.requireUsed(name, "--files, --transactions");
                yield Workloads.postmark(p);
            }
            case Workloads.SDET -> {
                SdetParameters p = sdet(quick ? SdetParameters.quick() : SdetParameters.defaults(), o);
                o.requireUsed(name, "--scripts, --commands, --files");
                yield Workloads.sdet(p);
            }
            case Workloads.STREAM -> {
                StreamParameters p = quick ? StreamParameters.quick() : StreamParameters.defaults();
                p = p.withStreams(o.get("--streams", p.streams()));
                o.requireUsed(name, "--streams");
                yield Workloads.stream(p);
            }
            case Workloads.MIXED -> {
                MixedParameters p = quick ? MixedParameters.quick() : MixedParameters.defaults();
                p = p.withSdet(sdet(p.sdet(), o)).withStream(p.stream().withStreams(o.get("--streams", p.stream().streams())));
                o.requireUsed(name, "--scripts, --commands, --files, --streams");
                yield Workloads.mixed(p);
            }
            default -> throw new IllegalArgumentException("no workload named " + name + "; there are " + Workloads.names());
        };
        return workload;
    }

    private static SdetParameters sdet(SdetParameters p, Options o) {
        return p.withScripts(o.get("--scripts", p.scripts())).withCommands(o.get("--commands", p.commands()))
                .withFiles(o.get("--files", p.files()));
    }

    /** Fails as the framework would when opening the first file: a malformed filter, or no FCM factory matching it. */
    private void requireFactory(String filter) {
        String component = "(" + SwapComponents.COMPONENT + "=" + FcmProperties.COMPONENT + ")";
        ServiceReference<?>[] refs;
        try {
            refs = context.getAllServiceReferences(ComponentFactory.class.getName(),
                    filter == null ? component : "(&" + component + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("malformed filter " + filter + ": " + WorkloadRun.oneLine(e));
        }
        if (refs == null || refs.length == 0) {
            throw new IllegalArgumentException("no FCM factory" + (filter == null ? "" : " matches " + filter)
                    + " (swap:list shows the caches in use)");
        }
    }

    private Views.WorkloadStarted start(Workload workload, String filter) {
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the scratch directory " + scratch + ": " + WorkloadRun.oneLine(e));
        }
        WorkloadRun run;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the fcm commands are being deactivated");
            }
            run = new WorkloadRun(nextId++, workload, new SwapOpener(components, filter), scratch);
            runs.put(run.id, run);
            forgetOldRuns();
        }
        run.start();
        return new Views.WorkloadStarted(run.id, run.description());
    }

    /** Drops the oldest done runs beyond {@link #KEPT}. Holds lock. */
    private void forgetOldRuns() {
        long done = runs.values().stream().filter(WorkloadRun::isDone).count();
        for (Iterator<WorkloadRun> i = runs.values().iterator(); i.hasNext() && done > KEPT;) {
            if (i.next().isDone()) {
                i.remove();
                done--;
            }
        }
    }

    private static int runId(String id) {
        try {
            return Integer.parseInt(id.strip());
        } catch (NumberFormatException e) {
            return -1; // no run has it
        }
    }
}

package swap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import swap.bench.ReportData.JmhScore;
import swap.bench.ReportData.Machine;
import swap.internal.quiesce.Fences;

/**
 * Every benchmark of this module, side by side in one run, into one report folder: a Markdown
 * report whose figures are ratios and distributions against baselines of the same run, the raw
 * results (JMH JSON, HdrHistogram logs, CSV), and PNG plots (XChart).
 *
 * <pre>
 * mvn -B package -DskipTests -pl swap.bench -am
 * java -cp swap.bench/target/benchmarks.jar swap.bench.Report [--quick] [--out DIR] [--only STEPS]
 *      [--publish DIR [--readme FILE]]
 * </pre>
 *
 * <ul>
 *   <li>{@code --quick}: short runs (a few minutes on 2 cores) that check every benchmark still
 *       runs; their figures are not for quoting. The full run took 8 minutes on 2 cores.
 *   <li>{@code --out DIR}: the report folder; default {@code target/report/<yyyy-MM-dd-HHmm>}
 *       (with {@code -quick} appended in quick mode) under the working directory.
 *   <li>{@code --only jmh,null-swap,live-patch,fcm}: run only the steps named.
 *   <li>{@code --publish DIR}: after a full run without problems, copy the headline table
 *       ({@code DIR/headline.md}) and three plots to {@code DIR}, and replace the block between
 *       {@code <!-- report:begin -->} and {@code <!-- report:end -->} of {@code --readme FILE}
 *       (default {@code README.md} in the working directory) with them.
 * </ul>
 *
 * <p>The steps: every JMH benchmark of {@code benchmarks.jar} through the JMH runner (which forks
 * a JVM per benchmark), then {@link NullSwapLatency} with portable, asymmetric and handshake fences,
 * {@link LivePatchUnderLoad} and {@link FcmWorkloads}, each in a child JVM on the same class path.
 * Child JVMs, not calls in this one: the fence mode is a JVM-wide system property read once; each
 * program starts with a JIT, heap and thread set of its own, so no benchmark measures what the one
 * before it left behind (embedded frameworks' threads, class loaders, a warm page cache object
 * graph); and a child that hangs is destroyed after its time without losing the other results.
 * Each child writes its raw results into the report folder, where this class reads them back as
 * data ({@link NullSwapLatency.Result#read}, {@link LivePatchUnderLoad.Outcome#read},
 * {@link FcmWorkloads#readCsv}).
 *
 * <p>Exits with status 1 if a step failed (the report is still written, naming the problem), 2 on
 * bad arguments.
 */
public final class Report {

    /** The steps, as {@code --only} names them. */
    static final List<String> STEPS = List.of("jmh", "null-swap", "live-patch", "fcm");
    /** The fence modes NullSwapLatency runs with. */
    static final List<String> FENCES = List.of("portable", "asymmetric", "handshake");
    /** Measured updates per style and load in a full run (LivePatchUnderLoad's own default, 1,000, takes twice as long). */
    static final int LIVE_PATCH_UPDATES = 500;
    static final int NULL_SWAPS = 10_000;
    static final int NULL_SWAPS_QUICK = 1_000;
    /** Bounds on each child JVM: several times what it takes on 2 cores. */
    static final Duration NULL_SWAP_TIMEOUT = Duration.ofMinutes(8);
    static final Duration LIVE_PATCH_TIMEOUT = Duration.ofMinutes(15);
    static final Duration FCM_TIMEOUT = Duration.ofMinutes(60); // 5 rounds (Postmark 15): 24 minutes here, twice that on a busy day
    /** The README block that {@code --publish} replaces. */
    static final String BEGIN = "<!-- report:begin -->";
    static final String END = "<!-- report:end -->";

    /** The command line, parsed. */
    record Options(boolean quick, Path out, Set<String> only, Path publish, Path readme) {

        static Options parse(String... args) {
            boolean quick = false;
            Path out = null;
            Path publish = null;
            Path readme = Path.of("README.md");
            Set<String> only = new TreeSet<>(STEPS);
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--publish" -> publish = Path.of(value(args, ++i));
                    case "--readme" -> readme = Path.of(value(args, ++i));
                    case "--only" -> {
                        only = new TreeSet<>(List.of(value(args, ++i).split(",")));
                        if (!STEPS.containsAll(only)) {
                            throw new IllegalArgumentException("--only takes steps of " + STEPS + ", not " + only);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (publish != null && (quick || only.size() < STEPS.size())) {
                throw new IllegalArgumentException("--publish takes a full run of every step (no --quick, no --only)");
            }
            if (out == null) {
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT));
                out = Path.of("target", "report", stamp + (quick ? "-quick" : ""));
            }
            return new Options(quick, out, only, publish, readme);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    private final Options options;
    private final PrintStream console;
    private final Map<String, Double> steps = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Report(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: Report [--quick] [--out DIR] [--only jmh,null-swap,live-patch,fcm] [--publish DIR [--readme FILE]]");
            System.exit(2);
            return;
        }
        int status = new Report(options, System.out).run(commandLine(args));
        System.exit(status);
    }

    /** Runs the steps, writes the report (and publishes it if asked); 0 if everything ran, else 1. */
    private int run(String command) throws IOException {
        Machine machine = Machine.here(command);
        Path out = options.out();
        Files.createDirectories(out);
        console.println("report folder: " + out.toAbsolutePath() + (options.quick() ? " (quick)" : ""));
        List<JmhScore> jmh = new ArrayList<>();
        if (options.only().contains("jmh")) {
            jmh.addAll(step("JMH, 1 thread", List.of(), () -> jmh(".*", 1, out.resolve(ReportMarkdown.JMH_JSON))));
            if (!options.quick()) {
                jmh.addAll(step("JMH, CallPathBenchmark with 2 threads", List.of(),
                        () -> jmh(CallPathBenchmark.class.getName() + "\\..*", 2, out.resolve(ReportMarkdown.JMH_2_THREADS_JSON))));
            }
            checkEveryBenchmarkRan(jmh);
        }
        Map<String, NullSwapLatency.Result> nullSwaps = new LinkedHashMap<>();
        if (options.only().contains("null-swap")) {
            for (String fences : FENCES) {
                NullSwapLatency.Result r = step("null swaps, " + fences + " fences", null, () -> nullSwaps(fences));
                if (r != null) {
                    nullSwaps.put(fences, r);
                }
            }
        }
        List<LivePatchUnderLoad.Outcome> livePatch = options.only().contains("live-patch")
                ? step("live patch under load", List.of(), this::livePatch) : List.of();
        List<FcmWorkloads.Run> fcm = options.only().contains("fcm") ? step("FCM workloads", List.of(), this::fcm) : List.of();
        ReportData data = new ReportData(machine.ended(), options.quick(), jmh, nullSwaps, livePatch, fcm, steps, problems);
        render(data, out);
        console.println();
        console.print(ReportMarkdown.table(ReportMarkdown.headline(data)));
        console.println("\nreport: " + out.resolve(ReportMarkdown.REPORT).toAbsolutePath());
        problems.forEach(p -> console.println("PROBLEM: " + p));
        if (options.publish() != null) {
            if (problems.isEmpty()) {
                publish(data, out, options.publish(), options.readme(), console);
            } else {
                console.println("not published: the run had problems");
            }
        }
        return problems.isEmpty() ? 0 : 1;
    }

    /** A step's body. */
    private interface Body<T> {
        T run() throws Exception;
    }

    /** Runs {@code body}, timing it; a failure becomes a problem of the report and the step's result {@code none}. */
    private <T> T step(String name, T none, Body<T> body) {
        console.printf(Locale.ROOT, "%n== %s ==%n", name);
        long start = System.nanoTime();
        try {
            return body.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(name + ": interrupted");
            return none;
        } catch (Exception | Error e) {
            problems.add(name + ": " + e);
            return none;
        } finally {
            steps.put(name, (System.nanoTime() - start) / 1e9);
        }
    }

    // ---- the steps ----

    /** The benchmarks matching {@code include}, one fork each, with {@code threads} threads; JMH's JSON to {@code json}. */
    private List<JmhScore> jmh(String include, int threads, Path json) throws RunnerException, IOException {
        Files.createDirectories(json.toAbsolutePath().getParent());
        ChainedOptionsBuilder b = new OptionsBuilder().include(include).forks(1).threads(threads).shouldFailOnError(false)
                .timeout(TimeValue.minutes(2)).resultFormat(ResultFormatType.JSON).result(json.toString());
        if (options.quick()) {
            b.warmupIterations(1).warmupTime(TimeValue.milliseconds(300)).measurementIterations(2).measurementTime(TimeValue.milliseconds(500));
        } else {
            b.warmupIterations(3).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        List<JmhScore> scores = new ArrayList<>();
        for (RunResult r : results) {
            scores.add(new JmhScore(r.getParams().getBenchmark(), r.getParams().getThreads(), r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit()));
        }
        return scores;
    }

    /** Every benchmark that {@code java -jar benchmarks.jar -l} lists must have a one-thread score. */
    private void checkEveryBenchmarkRan(List<JmhScore> jmh) {
        Set<String> listed = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(console, VerboseMode.SILENT),
                List.of(".*"), List.of())) {
            listed.add(e.getUsername());
        }
        for (JmhScore s : jmh) {
            listed.remove(s.benchmark());
        }
        listed.forEach(missing -> problems.add("JMH: " + missing + " produced no score"));
    }

    private NullSwapLatency.Result nullSwaps(String fences) throws IOException, InterruptedException {
        Path dir = options.out().resolve(ReportMarkdown.nullSwapDir(fences));
        new ChildJvm(NullSwapLatency.class).property(Fences.PROPERTY, fences)
                .args(String.valueOf(options.quick() ? NULL_SWAPS_QUICK : NULL_SWAPS), dir.toString())
                .run(NULL_SWAP_TIMEOUT, log("null-swap-" + fences), console);
        return NullSwapLatency.Result.read(dir);
    }

    private List<LivePatchUnderLoad.Outcome> livePatch() throws IOException, InterruptedException {
        Path dir = options.out().resolve(ReportMarkdown.LIVE_PATCH_DIR);
        ChildJvm child = new ChildJvm(LivePatchUnderLoad.class).args("--out", dir.toString());
        child.args(options.quick() ? "--quick" : String.valueOf(LIVE_PATCH_UPDATES));
        child.run(LIVE_PATCH_TIMEOUT, log("live-patch"), console);
        List<LivePatchUnderLoad.Outcome> outcomes = LivePatchUnderLoad.Outcome.read(dir.resolve(LivePatchUnderLoad.Outcome.FILE));
        for (LivePatchUnderLoad.Outcome o : outcomes) {
            if (o.error() != null) {
                problems.add("live patch under load, " + o.load() + ", " + o.style().label + ": " + o.error());
            }
        }
        return outcomes;
    }

    private List<FcmWorkloads.Run> fcm() throws IOException, InterruptedException {
        Path dir = options.out().resolve(ReportMarkdown.FCM_DIR);
        ChildJvm child = new ChildJvm(FcmWorkloads.class).args("--out", dir.toString());
        if (options.quick()) {
            child.args("--quick");
        }
        child.run(FCM_TIMEOUT, log("fcm-workloads"), console);
        return FcmWorkloads.readCsv(dir.resolve("fcm-workloads.csv"));
    }

    private Path log(String name) {
        return options.out().resolve(ReportMarkdown.LOGS).resolve(name + ".txt");
    }

    // ---- rendering and publishing ----

    /** Draws the plots of {@code d} and writes report.md into {@code out}. */
    static void render(ReportData d, Path out) throws IOException {
        Files.createDirectories(out);
        if (!d.jmh().isEmpty()) {
            ReportCharts.callOverhead(out.resolve(ReportMarkdown.CALL_OVERHEAD_PNG), d.jmh());
        }
        for (Map.Entry<String, NullSwapLatency.Result> e : d.nullSwaps().entrySet()) {
            ReportCharts.nullSwap(out.resolve(ReportMarkdown.nullSwapPng(e.getKey())), e.getValue());
        }
        if (d.livePatch().stream().anyMatch(o -> o.error() == null)) {
            ReportCharts.livePatchStalls(out.resolve(ReportMarkdown.LIVE_PATCH_STALLS_PNG), d.livePatch());
            ReportCharts.livePatchFailures(out.resolve(ReportMarkdown.LIVE_PATCH_FAILURES_PNG), d.livePatch());
        }
        if (!d.fcm().isEmpty()) {
            List<FcmWorkloads.Summary> summaries = FcmWorkloads.summaries(d.fcm());
            ReportCharts.fcmThroughput(out.resolve(ReportMarkdown.FCM_THROUGHPUT_PNG), summaries);
            ReportCharts.fcmHitRatio(out.resolve(ReportMarkdown.FCM_HIT_RATIO_PNG), summaries);
        }
        Files.writeString(out.resolve(ReportMarkdown.REPORT), ReportMarkdown.report(d));
    }

    /** The plots the README shows: the call paths, the null swaps with the default fences, the live patch stalls. */
    static List<String> publishedPlots(ReportData d) {
        String defaultFences = Fences.defaultMode().name().toLowerCase(Locale.ROOT);
        String fences = d.nullSwaps().containsKey(defaultFences) ? defaultFences
                : d.nullSwaps().keySet().stream().findFirst().orElse("");
        return List.of(ReportMarkdown.CALL_OVERHEAD_PNG, ReportMarkdown.nullSwapPng(fences), ReportMarkdown.LIVE_PATCH_STALLS_PNG);
    }

    /**
     * Copies the headline table ({@code docs/headline.md}) and {@link #publishedPlots} from the report
     * folder {@code out} to {@code docs}, and puts them between {@link #BEGIN} and {@link #END} in {@code readme}.
     */
    static void publish(ReportData d, Path out, Path docs, Path readme, PrintStream console) throws IOException {
        Files.createDirectories(docs);
        List<String> plots = new ArrayList<>();
        for (String png : publishedPlots(d)) {
            if (Files.isRegularFile(out.resolve(png))) {
                Files.copy(out.resolve(png), docs.resolve(png), StandardCopyOption.REPLACE_EXISTING);
                plots.add(png);
            }
        }
        Files.writeString(docs.resolve("headline.md"), ReportMarkdown.published(d, plots, ""));
        console.println("published: " + docs.toAbsolutePath() + " (headline.md, " + String.join(", ", plots) + ")");
        if (!Files.isRegularFile(readme)) {
            console.println("no " + readme + ": README not updated");
            return;
        }
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IOException(readme + " has no " + BEGIN + " ... " + END + " block to replace");
        }
        Path parent = readme.toAbsolutePath().getParent();
        String prefix = parent.relativize(docs.toAbsolutePath()).toString().replace('\\', '/') + "/";
        String block = BEGIN + "\n" + ReportMarkdown.published(d, plots, prefix) + END;
        Files.writeString(readme, text.substring(0, begin) + block + text.substring(end + END.length()));
        console.println("updated: " + readme);
    }

    /** The command line that started this JVM, as the operating system has it; or a reconstruction. */
    private static String commandLine(String[] args) {
        return ProcessHandle.current().info().commandLine()
                .orElse("java -cp " + System.getProperty("java.class.path") + " " + Report.class.getName() + " " + String.join(" ", args));
    }
}

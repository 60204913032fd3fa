package swap.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.mru.internal.MruFcm;
import swap.fcm.policy.internal.AdaptivePolicy;
import swap.fcm.policy.internal.ContentionPolicy;
import swap.fcm.policy.internal.SequentialPolicy;
import swap.fcm.policy.internal.TableSwitchboard;
import swap.fcm.replicated.internal.ReplicatedFcm;
import swap.fcm.shared.internal.SharedFcm;
import swap.fcm.workload.FcmOpener;
import swap.fcm.workload.MixedParameters;
import swap.fcm.workload.PostmarkParameters;
import swap.fcm.workload.SdetParameters;
import swap.fcm.workload.StreamParameters;
import swap.fcm.workload.Workload;
import swap.fcm.workload.WorkloadControl;
import swap.fcm.workload.WorkloadResult;
import swap.fcm.workload.Workloads;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * The papers' FCM comparison, side by side in one run: every file of a workload cached by the
 * shared, the replicated or the MRU FCM (static choices), or opened on the shared FCM with the
 * sequential and contention policies on (adaptive), on Postmark, SDET with 1, 2 and 4 scripts, and
 * SDET with 1 and 2 streams competing for a frame budget. Every file is a real file; every FCM is
 * reached through an OTT entry's stub in all four choices, so they pay the same call path. Each
 * (workload, choice) runs {@code rounds} times, the choices in a {@linkplain #order balanced order}, and the report
 * gives the median throughput, the median hit ratio, the ratio of adaptive to the best static
 * choice, and the policies' swaps; the raw runs go to {@code out/fcm-workloads.csv}, where
 * {@link #readCsv} finds them again ({@link Report} runs this class in a child JVM and reads its
 * results that way; {@link #summaries} gives the table's figures as data).
 *
 * <pre>
 * java -cp swap.bench/target/benchmarks.jar swap.bench.FcmWorkloads [--quick] [--rounds N] [--io buffered|direct|both] [--out DIR]
 * </pre>
 * Defaults: 5 rounds (1 with {@code --quick}; Postmark {@value #POSTMARK_ROUNDS} times as many), both I/O modes (each workload once with buffered I/O
 * and once with direct I/O, {@link Case#directIo}), out {@code target/fcm-workloads}. Buffered
 * Postmark runs on tmpfs where there is one ({@link #cases} says why). The full run
 * first warms the JIT up on the quick cases (unrecorded); it takes several minutes on 2 cores
 * (direct I/O makes the MRU FCM's SDET misses slow), {@code --quick} well under one.
 */
public final class FcmWorkloads {

    /** How the files are cached. */
    enum Choice {
        SHARED(FcmProperties.EXCLUSIVE), REPLICATED(FcmProperties.CONCURRENT), MRU(FcmProperties.SEQUENTIAL),
        /** Opened on the shared FCM; the policies move each cache as its use changes. */
        ADAPTIVE(FcmProperties.EXCLUSIVE);

        final String filter;

        Choice(String characteristic) {
            this.filter = FcmProperties.optimizedFor(characteristic);
        }

        boolean isStatic() {
            return this != ADAPTIVE;
        }
    }

    /**
     * One workload of the comparison and the frame budget it runs under; {@code mixed}: SDET with
     * streams; {@code directIo}: the caches bypass the operating system's page cache
     * ({@link FramePool#directIo()}), so that a miss reads the disk, as in the papers; {@code tmpfs}:
     * its files are on a file system in memory ({@link #memoryFileSystem()}).
     */
    record Case(String label, int budget, boolean mixed, boolean directIo, boolean tmpfs) {
        Case(String label, int budget, boolean mixed, boolean directIo) {
            this(label, budget, mixed, directIo, false);
        }

        /** The label, and where the files were if not on the disk: the name of the case in reports. */
        String title() {
            return tmpfs ? label + " (tmpfs)" : label;
        }

        /** Whether this is Postmark (either I/O mode), which runs more rounds than the others. */
        boolean isPostmark() {
            return label.startsWith("postmark");
        }
    }

    /** Which I/O the comparison runs its workloads with. */
    enum Io {
        BUFFERED, DIRECT, BOTH;

        List<Boolean> directIo() {
            return switch (this) {
                case BUFFERED -> List.of(false);
                case DIRECT -> List.of(true);
                case BOTH -> List.of(false, true);
            };
        }
    }

    /**
     * Postmark runs this many times the rounds of the other workloads: its single runs scatter by
     * 10-20 % (45-60 % on the disk, buffered) where SDET's scatter by a few per cent, and a
     * Postmark run takes seconds. More rounds give its paired ratio as many more pairs. Not with
     * {@code --quick}, which checks that everything runs.
     */
    static final int POSTMARK_ROUNDS = 3;

    /** The rounds Postmark runs when the other workloads run {@code rounds}. */
    static int postmarkRounds(int rounds, boolean quick) {
        return quick ? rounds : rounds * POSTMARK_ROUNDS;
    }

    /** The rounds {@code c} runs when the other workloads run {@code rounds}. */
    static int roundsOf(Case c, int rounds, boolean quick) {
        return c.isPostmark() ? postmarkRounds(rounds, quick) : rounds;
    }

    /** Rows of a Williams square for the four choices: see {@link #order}. */
    private static final int[][] WILLIAMS = {{0, 1, 3, 2}, {1, 2, 0, 3}, {2, 3, 1, 0}, {3, 0, 2, 1}};

    /**
     * The order the choices run in, in {@code round}: a row of a Williams square, so that over
     * four rounds every choice runs once in every position of a round and once right after every
     * other choice. A run is disturbed by the one before it (its files are still being written
     * back and deleted: in 15 rounds of Postmark, the runs in a round's last two places were up to 7 %
     * faster than those in its first two), and a rotating order, which always put adaptive right
     * after MRU and shared right after adaptive, paired each choice with the same neighbour.
     */
    static List<Choice> order(int round) {
        Choice[] all = Choice.values();
        List<Choice> order = new ArrayList<>(all.length);
        for (int i : WILLIAMS[Math.floorMod(round, WILLIAMS.length)]) {
            order.add(all[i]);
        }
        return order;
    }

    /** The suffix of a direct-I/O case's label. */
    static final String DIRECT_SUFFIX = " direct";

    /** One run's outcome (read back from the CSV, a composite result has no parts). */
    record Run(Case c, Choice choice, int round, WorkloadResult result, int policySwaps) {
    }

    /**
     * One workload's line of the table: medians over the rounds per choice; the best static choice
     * (the highest median); adaptive over it, as the median of the rounds' ratios
     * ({@code pairedRatio}: adaptive over the best static choice of the same round, which ran
     * seconds apart, so that the machine's drift from round to round cancels) and as the ratio of
     * the medians ({@code adaptiveToBest}); the policies' swaps (median); whether the target was met
     * by the paired ratios (within 5 % of the best static; with streams: better than every static
     * choice, each paired with adaptive in its rounds); and how far the best static choice's own rounds spread ((max - min) / median; NaN
     * with one round): the run-to-run noise a ratio of medians should be read against.
     */
    record Summary(Case c, Map<Choice, Double> opsPerSecond, Map<Choice, Double> hitRatio, Choice bestStatic, double pairedRatio,
            double adaptiveToBest, double policySwaps, boolean met, double bestSpread) {
    }

    private FcmWorkloads() {
    }

    public static void main(String[] args) throws Exception {
        // one INFO line per swap is the framework's contract; here it would drown the report
        System.setProperty("org.slf4j.simpleLogger.log.swap", System.getProperty("org.slf4j.simpleLogger.log.swap", "warn"));
        boolean quick = false;
        Io io = Io.BOTH;
        int rounds = -1;
        Path out = Path.of("target", "fcm-workloads");
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--io" -> io = Io.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only.addAll(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (usage: FcmWorkloads [--quick] [--rounds N] [--io buffered|direct|both] [--only LABEL,...] [--out DIR])");
            }
        }
        if (rounds < 0) {
            rounds = quick ? 1 : 5;
        }
        Files.createDirectories(out);
        Optional<Path> memory = memoryFileSystem();
        Map<Case, Workload> cases = new LinkedHashMap<>();
        for (boolean direct : io.directIo()) {
            cases.putAll(cases(quick, direct, memory.isPresent()));
        }
        if (!only.isEmpty()) { // the workloads whose label (without " direct") is among them
            cases.keySet().removeIf(c -> !only.contains(c.label().replace(DIRECT_SUFFIX, "")));
            if (cases.isEmpty()) {
                throw new IllegalArgumentException("--only " + String.join(",", only) + " names no workload (labels: "
                        + String.join(", ", cases(true, false).keySet().stream().map(Case::label).toList()) + ")");
            }
        }
        System.out.printf(Locale.ROOT, "FCM workloads: %d cores, JDK %s, %d round(s), Postmark %d%s, %s I/O%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), rounds, postmarkRounds(rounds, quick), quick ? ", quick" : "",
                io.name().toLowerCase(Locale.ROOT));
        List<Run> runs = new ArrayList<>();
        System.out.println("  files: " + Files.getFileStore(Path.of(System.getProperty("java.io.tmpdir"))).type() + " (temporary directory)"
                + memory.map(m -> "; buffered Postmark on " + m + " (tmpfs)").orElse("; no tmpfs, buffered Postmark on the disk too"));
        Path disk = Files.createTempDirectory("fcm-workloads");
        Path inMemory = memory.isPresent() ? Files.createTempDirectory(memory.get(), "fcm-workloads") : disk;
        Function<Case, Path> scratch = c -> c.tmpfs() ? inMemory : disk;
        try {
            if (!quick) {
                warmUp(io, memory.isPresent(), scratch);
            }
            for (int round = 0; round < Math.max(rounds, postmarkRounds(rounds, quick)); round++) {
                for (Map.Entry<Case, Workload> e : cases.entrySet()) {
                    Case c = e.getKey();
                    if (round >= roundsOf(c, rounds, quick)) {
                        continue;
                    }
                    for (Choice choice : order(round)) {
                        Run run = run(c, e.getValue(), choice, round, scratch.apply(c));
                        runs.add(run);
                        System.out.printf(Locale.ROOT, "  round %d %-16s %-10s %s (policy swaps %d)%n", round + 1, c.label(), choice,
                                run.result(), run.policySwaps());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(disk);
            Files.deleteIfExists(inMemory);
        }
        writeCsv(out.resolve("fcm-workloads.csv"), runs);
        System.out.println();
        System.out.print(report(summaries(runs)));
        System.out.println("raw runs: " + out.resolve("fcm-workloads.csv"));
    }

    /**
     * Runs the quick cases once under every choice, unrecorded, so that the recorded runs (each a
     * second or a few) do not measure the JIT compiling the call paths, the FCMs and the policies.
     */
    private static void warmUp(Io io, boolean tmpfs, Function<Case, Path> scratch) throws IOException {
        long start = System.nanoTime();
        for (boolean direct : io.directIo()) {
            for (Map.Entry<Case, Workload> e : cases(true, direct, tmpfs).entrySet()) {
                for (Choice choice : Choice.values()) {
                    run(e.getKey(), e.getValue(), choice, -1, scratch.apply(e.getKey()));
                }
            }
        }
        System.out.printf(Locale.ROOT, "  warm-up (quick cases, every choice, not recorded): %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * The workloads of the comparison, in the report's order, with direct I/O or not.
     *
     * <p>Postmark with buffered I/O runs on tmpfs where there is one ({@link #memoryFileSystem()}),
     * with the papers' larger parameters ({@link PostmarkParameters#large()}). On this project's
     * disk a buffered run was mostly the file system's work (each transaction creates or deletes a
     * file, and a close forces it): a run of the papers' smaller parameters took 3.6 s on the disk
     * and 0.26 s on tmpfs, and the rounds of one choice spread by 45-60 %, far more than the 5 %
     * the target asks to settle and the FCMs' own differences (the papers: shared 7 % faster than
     * replicated). On tmpfs with the larger parameters a run takes about 3 s and, in one run of 12
     * rounds, a choice's rounds spread by 6-23 %. Postmark with direct I/O stays on the disk, where
     * a miss reads it, as in the papers (tmpfs has no direct I/O).
     */
    static Map<Case, Workload> cases(boolean quick, boolean directIo) {
        return cases(quick, directIo, memoryFileSystem().isPresent());
    }

    /** As {@link #cases(boolean, boolean)}, with buffered Postmark on tmpfs if {@code tmpfsPresent}. */
    static Map<Case, Workload> cases(boolean quick, boolean directIo, boolean tmpfsPresent) {
        Map<Case, Workload> cases = new LinkedHashMap<>();
        String suffix = directIo ? DIRECT_SUFFIX : "";
        boolean tmpfs = !directIo && tmpfsPresent;
        PostmarkParameters postmark = quick ? PostmarkParameters.quick() : tmpfs ? PostmarkParameters.large() : PostmarkParameters.defaults();
        cases.put(new Case("postmark" + suffix, FramePool.DEFAULT_BUDGET, false, directIo, tmpfs), Workloads.postmark(postmark));
        // files up to 128 KB: more than the MRU FCM's 16-frame window, as files re-read whole are
        SdetParameters sdet = quick ? SdetParameters.quick().withSizes(4096, 131072).withCommands(400)
                : SdetParameters.defaults().withSizes(4096, 131072).withCommands(15000);
        for (int scripts : new int[] {1, 2, 4}) {
            cases.put(new Case("sdet-" + scripts + suffix, 4096, false, directIo), Workloads.sdet(sdet.withScripts(scripts)));
        }
        // SDET's working set fits the budget only if the streams keep to a window of frames
        StreamParameters stream = quick ? StreamParameters.quick() : StreamParameters.defaults();
        int budget = quick ? 512 : 1536;
        for (int k : new int[] {1, 2}) {
            cases.put(new Case("sdet-4+" + k + "stream" + suffix, budget, true, directIo),
                    Workloads.mixed(new MixedParameters(sdet.withScripts(4), stream.withStreams(k))));
        }
        return cases;
    }

    /** Where the machine keeps a file system in memory, if it does. */
    private static final Path SHM = Path.of("/dev/shm");

    /**
     * The space buffered Postmark needs on tmpfs: its larger run held up to 173 MB of files here
     * ({@code df} every 2 s during a report); a container's default {@code /dev/shm} is 64 MB.
     */
    static final long TMPFS_MIN_BYTES = 512L << 20;

    /**
     * A writable directory on tmpfs ({@code /dev/shm}) with at least {@value #TMPFS_MIN_BYTES} bytes
     * free, if this machine has one; {@code -Dswap.bench.tmpfs=false} says it has none.
     */
    static Optional<Path> memoryFileSystem() {
        if (!Boolean.parseBoolean(System.getProperty("swap.bench.tmpfs", "true")) || !Files.isDirectory(SHM) || !Files.isWritable(SHM)) {
            return Optional.empty();
        }
        try {
            FileStore store = Files.getFileStore(SHM);
            return store.type().equals("tmpfs") && store.getUsableSpace() >= TMPFS_MIN_BYTES ? Optional.of(SHM) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether each run {@linkplain #settle settles} first; {@code -Dswap.bench.settle=false} turns it off. */
    static final boolean SETTLE = Boolean.parseBoolean(System.getProperty("swap.bench.settle", "true"));

    /**
     * Before a run: the earlier runs' dirty data written back ({@code sync}, at most 60 s; skipped
     * where there is no such command) and their garbage collected, so that a run does not pay
     * for the one before it. Without it, in 15 rounds of Postmark (buffered I/O), the runs in a
     * round's last two places were 2-4 % faster than the median of their round and those in its
     * first two 3-4 % slower; with it, 2-3 % either way.
     */
    static void settle() {
        if (!SETTLE) {
            return;
        }
        try {
            Process p = new ProcessBuilder("sync").redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no sync command here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
    }

    /** Runs {@code c} with every file cached as {@code choice} says, through stubs of a fresh table. */
    static Run run(Case c, Workload workload, Choice choice, int round, Path scratch) throws IOException {
        settle();
        FramePool pool = FileCaches.newFramePool(c.budget(), c.directIo());
        TableImpl table = new TableImpl();
        TableSwitchboard board = new TableSwitchboard(table, FcmProperties.COMPONENT);
        board.addFactory(Map.of("swap.impl", "shared", FcmProperties.OPTIMIZED_FOR, FcmProperties.EXCLUSIVE), () -> new SharedFcm(pool));
        board.addFactory(Map.of("swap.impl", "replicated", FcmProperties.OPTIMIZED_FOR, FcmProperties.CONCURRENT),
                () -> new ReplicatedFcm(pool));
        board.addFactory(Map.of("swap.impl", "mru", FcmProperties.OPTIMIZED_FOR, FcmProperties.SEQUENTIAL), () -> new MruFcm(pool));
        List<AdaptivePolicy<?>> policies = new ArrayList<>();
        if (choice == Choice.ADAPTIVE) {
            policies.add(new SequentialPolicy(board, SequentialPolicy.Settings.defaults()));
            policies.add(new ContentionPolicy(board, ContentionPolicy.Settings.defaults()));
            policies.forEach(p -> p.setEnabled(true));
        }
        try {
            WorkloadResult result = workload.run(new StubOpener(board, choice.filter), scratch,
                    new WorkloadControl(Duration.ofSeconds(120)));
            int swaps = (int) table.history().stream().filter(r -> r.reason != null && r.reason.startsWith("policy ")).count();
            return new Run(c, choice, round, result, swaps);
        } finally {
            policies.forEach(AdaptivePolicy::close);
            table.close();
            if (pool.inUse() != 0) {
                throw new IllegalStateException(c.label() + "/" + choice + ": " + pool.inUse() + " frames still in use after the run");
            }
        }
    }

    /** Opens each file in a new entry made for {@code filter}; release closes the stub and removes the entry. */
    private static final class StubOpener implements FcmOpener {
        private final TableSwitchboard board;
        private final String filter;
        private final Map<FileCacheManager, Entry<FileCacheManager>> entries = Collections.synchronizedMap(new IdentityHashMap<>());

        StubOpener(TableSwitchboard board, String filter) {
            this.board = board;
            this.filter = filter;
        }

        @Override
        public FileCacheManager open(Path file, FileCacheManager.Mode mode) throws IOException {
            Entry<FileCacheManager> entry = board.create(FileCacheManager.class, filter);
            try {
                entry.stub().open(file, mode);
            } catch (IOException | RuntimeException e) {
                entry.remove();
                throw e;
            }
            entries.put(entry.stub(), entry);
            return entry.stub();
        }

        @Override
        public void release(FileCacheManager fcm) throws IOException {
            try {
                fcm.close();
            } finally {
                Entry<FileCacheManager> entry = entries.remove(fcm);
                if (entry != null) {
                    entry.remove();
                }
            }
        }
    }

    /** One {@link Summary} per workload of {@code runs}, in the order the runs first name them. */
    static List<Summary> summaries(List<Run> runs) {
        List<Summary> summaries = new ArrayList<>();
        for (Case c : runs.stream().map(Run::c).distinct().toList()) {
            Map<Choice, Double> ops = new EnumMap<>(Choice.class);
            Map<Choice, Double> hits = new EnumMap<>(Choice.class);
            for (Choice choice : Choice.values()) {
                ops.put(choice, median(runs, c, choice, r -> r.result().opsPerSecond()));
                hits.put(choice, median(runs, c, choice, r -> r.result().hitRatio()));
            }
            Choice best = Choice.SHARED;
            for (Choice choice : Choice.values()) {
                if (choice.isStatic() && ops.get(choice) > ops.get(best)) {
                    best = choice;
                }
            }
            double ratio = ops.get(Choice.ADAPTIVE) / ops.get(best);
            double paired = pairedRatio(runs, c, best);
            boolean met = c.mixed() ? Arrays.stream(Choice.values()).filter(Choice::isStatic).allMatch(s -> pairedRatio(runs, c, s) > 1)
                    : paired >= 0.95;
            List<Double> bestRounds = values(runs, c, best, r -> r.result().opsPerSecond());
            double spread = bestRounds.size() < 2 ? Double.NaN
                    : (bestRounds.get(bestRounds.size() - 1) - bestRounds.get(0)) / ops.get(best);
            summaries.add(new Summary(c, ops, hits, best, paired, ratio, median(runs, c, Choice.ADAPTIVE, r -> (double) r.policySwaps()),
                    met, spread));
        }
        return summaries;
    }

    static String report(List<Summary> summaries) {
        StringBuilder b = new StringBuilder();
        b.append("| workload | shared | replicated | MRU | adaptive | adaptive / best static, paired (ratio of medians) | policy swaps (median) | target |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Summary s : summaries) {
            b.append("| ").append(s.c().title());
            for (Choice choice : Choice.values()) {
                b.append(String.format(Locale.ROOT, " | %,.0f/s, hits %.1f%%", s.opsPerSecond().get(choice), 100 * s.hitRatio().get(choice)));
            }
            b.append(String.format(Locale.ROOT, " | %.3f (%.3f; best static: %s%s) | %.0f | %s |%n", s.pairedRatio(), s.adaptiveToBest(),
                    s.bestStatic().name().toLowerCase(Locale.ROOT),
                    Double.isNaN(s.bestSpread()) ? "" : String.format(Locale.ROOT, ", its rounds spread %.0f %%", 100 * s.bestSpread()),
                    s.policySwaps(),
                    (s.c().mixed() ? "better than every static: " : "within 5 % of the best: ") + (s.met() ? "met" : "MISSED")));
        }
        b.append("\nThroughput: Postmark transactions, SDET commands (all scripts), per second; medians of the rounds. Paired: the median")
                .append(" over the rounds of adaptive over the best static choice in the same round (the target is judged on it); in brackets,")
                .append(" the ratio of the medians, which the machine's drift between rounds moves by up to the best static choice's spread.\n");
        return b.toString();
    }

    private static double median(List<Run> runs, Case c, Choice choice, Function<Run, Double> value) {
        return median(values(runs, c, choice, value));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The median over the rounds that ran both of adaptive's throughput over {@code best}'s in the same round. */
    private static double pairedRatio(List<Run> runs, Case c, Choice best) {
        Map<Integer, Double> bestByRound = new HashMap<>();
        for (Run r : runs) {
            if (r.c().equals(c) && r.choice() == best) {
                bestByRound.put(r.round(), r.result().opsPerSecond());
            }
        }
        List<Double> ratios = new ArrayList<>();
        for (Run r : runs) {
            Double b = bestByRound.get(r.round());
            if (r.c().equals(c) && r.choice() == Choice.ADAPTIVE && b != null) {
                ratios.add(r.result().opsPerSecond() / b);
            }
        }
        Collections.sort(ratios);
        return median(ratios);
    }

    /** The value of every round of {@code choice} on {@code c}, sorted. */
    private static List<Double> values(List<Run> runs, Case c, Choice choice, Function<Run, Double> value) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            if (r.c().equals(c) && r.choice() == choice) {
                values.add(value.apply(r));
            }
        }
        Collections.sort(values);
        return values;
    }

    static void writeCsv(Path file, List<Run> runs) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("workload,choice,round,budget_frames,direct_io,tmpfs,operations,elapsed_ns,ops_per_s,hits,misses,evictions,write_backs,hit_ratio,policy_swaps,"
                    + "mixed,bytes_read,bytes_written,stopped,result");
            for (Run r : runs) {
                WorkloadResult x = r.result();
                w.printf(Locale.ROOT, "%s,%s,%d,%d,%b,%b,%d,%d,%.1f,%d,%d,%d,%d,%.4f,%d,%b,%d,%d,%b,%s%n", r.c().label(),
                        r.choice().name().toLowerCase(Locale.ROOT), r.round() + 1, r.c().budget(), r.c().directIo(), r.c().tmpfs(), x.operations(), x.elapsedNanos(),
                        x.opsPerSecond(), x.hits(), x.misses(), x.evictions(), x.writeBacks(), x.hitRatio(), r.policySwaps(),
                        r.c().mixed(), x.bytesRead(), x.bytesWritten(), x.stopped(), x.name());
            }
        }
    }

    /** The runs {@link #writeCsv} left in {@code file} (composite results without their parts). */
    static List<Run> readCsv(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (Map<String, String> row : Csv.read(file)) {
            Case c = new Case(row.get("workload"), Integer.parseInt(row.get("budget_frames")), Boolean.parseBoolean(row.get("mixed")),
                    Boolean.parseBoolean(row.get("direct_io")), Boolean.parseBoolean(row.get("tmpfs")));
            WorkloadResult result = new WorkloadResult(row.get("result"), Long.parseLong(row.get("operations")),
                    Long.parseLong(row.get("elapsed_ns")), Long.parseLong(row.get("bytes_read")), Long.parseLong(row.get("bytes_written")),
                    Long.parseLong(row.get("hits")), Long.parseLong(row.get("misses")), Long.parseLong(row.get("evictions")),
                    Long.parseLong(row.get("write_backs")), Boolean.parseBoolean(row.get("stopped")), List.of());
            runs.add(new Run(c, Choice.valueOf(row.get("choice").toUpperCase(Locale.ROOT)), Integer.parseInt(row.get("round")) - 1, result,
                    Integer.parseInt(row.get("policy_swaps"))));
        }
        return runs;
    }
}

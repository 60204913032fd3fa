package swap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import swap.bench.FcmWorkloads.Choice;
import swap.bench.LivePatchUnderLoad.Outcome;
import swap.bench.LivePatchUnderLoad.Quantiles;
import swap.bench.LivePatchUnderLoad.Style;
import swap.bench.ReportData.JmhScore;
import swap.bench.ReportData.Machine;
import swap.fcm.workload.WorkloadResult;

/**
 * The report is rendered from results made up here, without running a benchmark: every plot is a
 * PNG of the expected size, report.md has the headline's ratio rows, the raw results read back as
 * they were written, and {@code --publish} fills the README's block.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReportTest {

    @TempDir
    Path dir;

    @Test
    void rendersEveryPlotAndTheHeadlineRatios() throws IOException {
        ReportData data = data();
        Report.render(data, dir);

        for (String png : List.of(ReportMarkdown.CALL_OVERHEAD_PNG, ReportMarkdown.nullSwapPng("portable"),
                ReportMarkdown.nullSwapPng("asymmetric"), ReportMarkdown.nullSwapPng("handshake"), ReportMarkdown.LIVE_PATCH_FAILURES_PNG, ReportMarkdown.FCM_THROUGHPUT_PNG,
                ReportMarkdown.FCM_HIT_RATIO_PNG)) {
            assertPng(dir.resolve(png), ReportCharts.WIDTH, ReportCharts.HEIGHT);
        }
        assertPng(dir.resolve(ReportMarkdown.LIVE_PATCH_STALLS_PNG), 2 * ReportCharts.WIDTH, ReportCharts.HEIGHT); // two panels

        String md = Files.readString(dir.resolve(ReportMarkdown.REPORT));
        assertThat(md).contains("- date: 2026-01-01T00:00:00Z\n", "- command: `java -cp benchmarks.jar swap.bench.Report`", "- machine: 2 cores",
                "0.10 0.20 0.30 at the start, 0.40 0.50 0.60 at the end");
        // stub 2.0 ns against direct 0.5, proxy 8.0, tracker 16.0
        assertThat(md).contains("| Call: swap stub vs direct call | swap stub 2.00 ns | direct call 0.50 ns | 4.00× |",
                "| Call: swap stub vs JDK Proxy | swap stub 2.00 ns | JDK Proxy 8.00 ns | 0.25× |",
                "| Call: swap stub vs ServiceTracker per call | swap stub 2.00 ns | ServiceTracker per call 16.00 ns | 0.13× |",
                "| Call: swap stub, 2 threads vs 1 thread |");
        // every null swap of case (a) takes 21.6 us: twice K42's mean
        assertThat(md).contains("| Null swap, 1 caller, portable fences | p50 21.6, p99 21.6, max 21.6 us (mean 21.6) | K42 mean 10.8 us",
                "mean 2.00×", "| Null swap, 1 caller: asymmetric vs portable fences | p50 10.8 us | p50 21.6 us | 0.50× |",
                "| Null swap, 1 caller: handshake vs asymmetric fences | p50 2.7 us | p50 10.8 us | 0.25× |");
        assertThat(md).contains("| Live patch, swap container, DS static reference: failed calls, every load | 0 of 2,000,000 calls |"
                + " plain OSGi, DS static reference: 500 of 2,000,000 | 0.000× |");
        assertThat(md).contains("| Live patch, swap container, DS static reference: longest stall per update, open loop, 50,000 calls/s |"
                + " p50 2.00, p99 4.00, max 8.00 ms | plain OSGi, DS static reference: p50 10.00, p99 20.00, max 40.00 ms |"
                + " p50 0.20×, max 0.20× |");
        assertThat(md).contains("| FCM, postmark: adaptive vs best static | adaptive 900/s | replicated 1,000/s | 0.90× paired (target >= 0.95: missed) |",
                "| FCM, sdet-4+1stream: adaptive vs best static | adaptive 1,200/s | replicated 1,000/s | 1.20× paired (target > 1, best of all: met) |");
        assertThat(md).contains("](raw/null-swap-portable/null-swap-1-caller.hlog)", "](raw/live-patch.csv)", "](raw/fcm-workloads.csv)",
                "](raw/jmh.json)");
    }

    @Test
    void rawResultsReadBackAsWritten() throws IOException {
        ReportData data = data();
        NullSwapLatency.Result swaps = data.nullSwaps().get("portable");
        swaps.write(dir.resolve("ns"));
        NullSwapLatency.Result read = NullSwapLatency.Result.read(dir.resolve("ns"));
        assertThat(read.fences()).isEqualTo("portable");
        assertThat(read.four().swaps()).isEqualTo(swaps.four().swaps());
        assertThat(read.one().holds()).isEqualTo(swaps.one().holds());
        assertThat(read.stormToQuiet()).isEqualTo(swaps.stormToQuiet());

        Path csv = dir.resolve(Outcome.FILE);
        Outcome.write(csv, data.livePatch());
        assertThat(Outcome.read(csv)).isEqualTo(data.livePatch()); // labels and states with commas survive
    }

    @Test
    void publishFillsTheReadmeBlockAndCopiesThePlots() throws IOException {
        ReportData data = data();
        Path report = dir.resolve("report");
        Report.render(data, report);
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n\n## Performance\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\n## Next\n");
        Path docs = dir.resolve("docs").resolve("performance");

        Report.publish(data, report, docs, readme, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(Report.publishedPlots(data)).as("the default fences' null swaps")
                .contains(ReportMarkdown.nullSwapPng(swap.internal.quiesce.Fences.defaultMode().name().toLowerCase(java.util.Locale.ROOT)));
        for (String png : Report.publishedPlots(data)) {
            assertPng(docs.resolve(png), -1, ReportCharts.HEIGHT);
        }
        String text = Files.readString(readme);
        assertThat(text).doesNotContain("\nold\n").contains("## Next", "| Call: swap stub vs direct call |",
                "](docs/performance/" + ReportMarkdown.CALL_OVERHEAD_PNG + ")");
        assertThat(Files.readString(docs.resolve("headline.md"))).contains("| Call: swap stub vs direct call |",
                "](" + ReportMarkdown.CALL_OVERHEAD_PNG + ")");
    }

    @Test
    void theFcmTargetIsJudgedOnTheRoundsPairedRatioNotOnTheRatioOfMedians() {
        // the machine's speed moves from round to round; adaptive keeps within 5 % of shared in the same round more often than not
        FcmWorkloads.Case postmark = new FcmWorkloads.Case("postmark", 1024, false, false);
        long[] shared = {900, 1200, 1200, 1200, 800};
        long[] adaptive = {1000, 1120, 1150, 1140, 850};
        List<FcmWorkloads.Run> runs = new ArrayList<>();
        for (int round = 0; round < shared.length; round++) {
            runs.add(run(postmark, Choice.SHARED, round, shared[round]));
            runs.add(run(postmark, Choice.REPLICATED, round, shared[round] / 2));
            runs.add(run(postmark, Choice.MRU, round, shared[round] / 2));
            runs.add(run(postmark, Choice.ADAPTIVE, round, adaptive[round]));
        }

        FcmWorkloads.Summary s = FcmWorkloads.summaries(runs).get(0);

        assertThat(s.bestStatic()).isEqualTo(Choice.SHARED);
        assertThat(s.adaptiveToBest()).as("ratio of the medians: 1,120 / 1,200").isCloseTo(0.933, within(0.001));
        assertThat(s.pairedRatio()).as("median of 1.111, 0.933, 0.958, 0.950, 1.063").isCloseTo(0.958, within(0.001));
        assertThat(s.met()).isTrue();
        assertThat(FcmWorkloads.report(List.of(s))).contains("| 0.958 (0.933; best static: shared, its rounds spread 33 %) |");

        List<FcmWorkloads.Run> slower = new ArrayList<>(runs);
        slower.replaceAll(r -> r.choice() == Choice.ADAPTIVE && r.round() < 3
                ? run(postmark, Choice.ADAPTIVE, r.round(), Math.round(0.9 * shared[r.round()])) : r);
        assertThat(FcmWorkloads.summaries(slower).get(0).met()).as("0.90 in three rounds of five").isFalse();
    }

    @Test
    void withStreamsAdaptiveMustBeatEveryStaticChoiceInItsRoundsNotOnlyTheBestByMedian() {
        FcmWorkloads.Case mixed = new FcmWorkloads.Case("sdet-4+1stream", 512, true, false);
        long[] adaptive = {1200, 900, 900};
        long[] shared = {1300, 950, 950};
        long[] mru = {1000, 1000, 850};
        List<FcmWorkloads.Run> runs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            runs.add(run(mixed, Choice.SHARED, round, shared[round]));
            runs.add(run(mixed, Choice.REPLICATED, round, 100));
            runs.add(run(mixed, Choice.MRU, round, mru[round]));
            runs.add(run(mixed, Choice.ADAPTIVE, round, adaptive[round]));
        }

        FcmWorkloads.Summary s = FcmWorkloads.summaries(runs).get(0);

        assertThat(s.bestStatic()).as("median 1,000 against shared's 950").isEqualTo(Choice.MRU);
        assertThat(s.pairedRatio()).as("median of 1.2, 0.9, 1.059").isCloseTo(1.059, within(0.001));
        assertThat(s.met()).as("shared beat adaptive in every round").isFalse();
    }

    @Test
    void postmarkRunsThreeTimesTheRoundsOfTheOtherWorkloadsAndTheReportSaysSo() {
        FcmWorkloads.Case postmark = new FcmWorkloads.Case("postmark direct", 1024, false, true);
        FcmWorkloads.Case sdet = new FcmWorkloads.Case("sdet-1", 4096, false, false);
        assertThat(FcmWorkloads.roundsOf(postmark, 5, false)).isEqualTo(15);
        assertThat(FcmWorkloads.roundsOf(sdet, 5, false)).isEqualTo(5);
        assertThat(FcmWorkloads.roundsOf(postmark, 1, true)).as("--quick only checks that it runs").isEqualTo(1);

        List<FcmWorkloads.Run> runs = new ArrayList<>();
        for (Choice choice : Choice.values()) {
            for (int round = 0; round < 15; round++) {
                runs.add(run(postmark, choice, round, 1_000));
                if (round < 5) {
                    runs.add(run(sdet, choice, round, 1_000));
                }
            }
        }
        StringBuilder b = new StringBuilder();
        ReportMarkdown.fcmSection(b, runs);
        assertThat(b.toString()).contains("medians of 5 round(s) (Postmark 15)");
    }

    @Test
    void bufferedPostmarkRunsOnTmpfsWhereThereIsOneAndItsRowsSaySo() throws IOException {
        boolean tmpfs = FcmWorkloads.memoryFileSystem().isPresent();
        assertThat(FcmWorkloads.cases(false, false).keySet()).filteredOn(FcmWorkloads.Case::tmpfs)
                .extracting(FcmWorkloads.Case::title).isEqualTo(tmpfs ? List.of("postmark (tmpfs)") : List.of());
        assertThat(FcmWorkloads.cases(false, true).keySet()).as("tmpfs has no direct I/O").noneMatch(FcmWorkloads.Case::tmpfs);
        System.setProperty("swap.bench.tmpfs", "false");
        try {
            assertThat(FcmWorkloads.memoryFileSystem()).isEmpty();
            assertThat(FcmWorkloads.cases(true, false).keySet()).noneMatch(FcmWorkloads.Case::tmpfs);
        } finally {
            System.clearProperty("swap.bench.tmpfs");
        }

        FcmWorkloads.Case postmark = new FcmWorkloads.Case("postmark", 1024, false, false, true);
        FcmWorkloads.Case direct = new FcmWorkloads.Case("postmark direct", 1024, false, true);
        List<FcmWorkloads.Run> runs = new ArrayList<>();
        for (Choice choice : Choice.values()) {
            runs.add(run(postmark, choice, 1_000));
            runs.add(run(direct, choice, 500));
        }
        Path csv = dir.resolve("fcm-workloads.csv");
        FcmWorkloads.writeCsv(csv, runs);
        assertThat(FcmWorkloads.readCsv(csv)).extracting(FcmWorkloads.Run::c).containsExactlyElementsOf(runs.stream().map(FcmWorkloads.Run::c).toList());

        StringBuilder b = new StringBuilder();
        ReportMarkdown.fcmSection(b, runs);
        assertThat(b.toString()).contains("| postmark (tmpfs) |", "| postmark direct |", "Rows marked `(tmpfs)`");
        StringBuilder onDisk = new StringBuilder();
        ReportMarkdown.fcmSection(onDisk, runs.stream().filter(r -> !r.c().tmpfs()).toList());
        assertThat(onDisk.toString()).doesNotContain("tmpfs");
    }

    @Test
    void everyFourRoundsEveryChoiceRunsOnceInEachPlaceAndOnceAfterEachOther() {
        java.util.Set<String> places = new java.util.HashSet<>();
        java.util.Set<String> successions = new java.util.HashSet<>();
        for (int round = 8; round < 12; round++) {
            List<Choice> order = FcmWorkloads.order(round);
            assertThat(order).containsExactlyInAnyOrder(Choice.values());
            for (int i = 0; i < order.size(); i++) {
                assertThat(places.add(order.get(i) + "@" + i)).as("%s in place %d twice", order.get(i), i).isTrue();
                if (i > 0) {
                    assertThat(successions.add(order.get(i - 1) + ">" + order.get(i))).as("%s after %s twice", order.get(i), order.get(i - 1))
                            .isTrue();
                }
            }
        }
        assertThat(places).hasSize(16);
        assertThat(successions).hasSize(12);
    }

    @Test
    void percentilesAreLabelledFromTheirLogarithm() {
        assertThat(List.of(0.0, 1.0, 1.5, 2.0, 3.0, 4.0).stream().map(ReportCharts::percentileLabel))
                .containsExactly("0%", "90%", "96.8%", "99%", "99.9%", "99.99%");
    }

    @Test
    void optionsRefuseToPublishAQuickRun() {
        assertThat(Report.Options.parse("--quick").out().toString()).startsWith("target").endsWith("-quick");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Report.Options.parse("--quick", "--publish", "docs"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Report.Options.parse("--only", "jmh,x"));
    }

    private static void assertPng(Path png, int width, int height) throws IOException {
        assertThat(png).isRegularFile();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png.toString()).isNotNull();
        if (width > 0) {
            assertThat(image.getWidth()).as(png + " width").isEqualTo(width);
        }
        assertThat(image.getHeight()).as(png + " height").isEqualTo(height);
    }

    // ---- made-up results ----

    static ReportData data() {
        Machine machine = new Machine(2, "a JDK", "an OS", "a CPU", ZonedDateTime.parse("2026-01-01T00:00:00Z"), "0.10 0.20 0.30",
                "0.40 0.50 0.60", "java -cp benchmarks.jar swap.bench.Report");
        Map<String, NullSwapLatency.Result> swaps = new LinkedHashMap<>();
        swaps.put("portable", nullSwaps("portable", 21_600));
        swaps.put("asymmetric", nullSwaps("asymmetric", 10_800));
        swaps.put("handshake", nullSwaps("handshake", 2_700));
        Map<String, Double> steps = new LinkedHashMap<>();
        steps.put("JMH, 1 thread", 60.0);
        return new ReportData(machine, false, jmh(), swaps, livePatch(), fcm(), steps, List.of());
    }

    private static List<JmhScore> jmh() {
        Map<String, Double> ns = Map.of("direct", 0.5, "volatileIndirection", 0.7, "sharedAtomicInFlight", 6.0, "jdkProxy", 8.0,
                "serviceTrackerPerCall", 16.0, "stub", 2.0, "stubPortableFences", 8.0, "stubEmptyWrapper", 3.0);
        List<JmhScore> scores = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            for (String m : ReportMarkdown.CALL_PATHS.keySet()) {
                scores.add(new JmhScore("swap.bench.CallPathBenchmark." + m, threads, ns.get(m) * threads, 0.05, "ns/op"));
            }
        }
        scores.add(new JmhScore("swap.bench.AttachDetachBenchmark.attach", 1, 1.5, Double.NaN, "us/op"));
        scores.add(new JmhScore("swap.bench.AttachDetachBenchmark.detach", 1, 0.9, 0.1, "us/op"));
        return scores;
    }

    /** Case (a): every swap {@code nanos}; case (b): spread from 1 us to 50 ms. */
    private static NullSwapLatency.Result nullSwaps(String fences, long nanos) {
        Random random = new Random(42);
        Histogram one = histogram();
        Histogram four = histogram();
        Histogram holds = histogram();
        for (int i = 0; i < 2_000; i++) {
            one.recordValue(nanos);
            four.recordValue((long) (1_000 * Math.pow(50_000, random.nextDouble())));
            holds.recordValue(random.nextInt(5_000));
        }
        return new NullSwapLatency.Result(fences, 2_000, new NullSwapLatency.Case(1, one, holds, 0, 6e7),
                new NullSwapLatency.Case(4, four, holds, 0, 2e7), 8e7, 7.2e7);
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    private static List<Outcome> livePatch() {
        List<Outcome> outcomes = new ArrayList<>();
        for (String load : List.of("closed loop, 1 caller", "open loop, 50,000 calls/s")) {
            for (Style style : Style.values()) {
                boolean swap = style.container;
                Quantiles stall = swap ? new Quantiles(2, 4, 8) : new Quantiles(10, 20, 40);
                Quantiles gone = style == Style.SWAP_SIDE_BY_SIDE ? Quantiles.NONE : new Quantiles(9, 18, 36);
                Quantiles latency = load.startsWith("open") ? new Quantiles(0.01, 3, 8) : Quantiles.NONE;
                outcomes.add(new Outcome(load, style, 100, 1_000_000, swap ? 0 : 250, swap ? 0 : 2, swap ? 0 : 100, stall, 0.5,
                        new Quantiles(11, 22, 44), gone, latency, swap ? "kept" : "lost (256 of 34,157)", swap, 0, 100, swap ? "0" : "56",
                        null));
            }
        }
        return outcomes;
    }

    private static List<FcmWorkloads.Run> fcm() {
        List<FcmWorkloads.Run> runs = new ArrayList<>();
        Map<Choice, Long> postmark = Map.of(Choice.SHARED, 800L, Choice.REPLICATED, 1000L, Choice.MRU, 500L, Choice.ADAPTIVE, 900L);
        Map<Choice, Long> mixed = Map.of(Choice.SHARED, 900L, Choice.REPLICATED, 1000L, Choice.MRU, 700L, Choice.ADAPTIVE, 1200L);
        for (Choice c : Choice.values()) {
            runs.add(run(new FcmWorkloads.Case("postmark", 1024, false, false), c, postmark.get(c)));
        }
        for (Choice c : Choice.values()) {
            runs.add(run(new FcmWorkloads.Case("sdet-4+1stream", 512, true, false), c, mixed.get(c)));
        }
        return runs;
    }

    /** {@code ops} operations in one second, a hit ratio that grows with them. */
    private static FcmWorkloads.Run run(FcmWorkloads.Case c, Choice choice, long ops) {
        return run(c, choice, 0, ops);
    }

    private static FcmWorkloads.Run run(FcmWorkloads.Case c, Choice choice, int round, long ops) {
        WorkloadResult r = new WorkloadResult(c.label(), ops, 1_000_000_000L, 1 << 20, 1 << 10, ops, 2_000 - ops, 10, 5, false, List.of());
        return new FcmWorkloads.Run(c, choice, round, r, choice == Choice.ADAPTIVE ? 1 : 0);
    }
}

package swap.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import swap.bench.FcmWorkloads.Choice;
import swap.bench.LivePatchUnderLoad.Outcome;
import swap.bench.LivePatchUnderLoad.Style;
import swap.bench.ReportData.JmhScore;

/**
 * The report's plots, drawn by XChart into PNG files of {@link #WIDTH} x {@link #HEIGHT} pixels
 * (a two-panel figure is twice as wide). Headless: no display is needed.
 */
final class ReportCharts {

    static final int WIDTH = 960;
    static final int HEIGHT = 540;

    /** Stalls shorter than this are not recorded by {@link LivePatchUnderLoad} (they count as 0): the log axis starts here. */
    static final double STALL_FLOOR_MS = 0.05;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportCharts() {
    }

    // ---- null swaps ----

    /**
     * The percentile distribution of the null swaps of one fence mode (1 and 4 callers), HdrHistogram's
     * way: x is log10(1 / (1 - percentile)), so 1 is 90 %, 2 is 99 %, 3 is 99.9 %; y (us) on a log
     * axis. K42's published figures as dashed lines. (A linear x axis of logarithms, labelled as
     * percentiles: XChart's own log axis takes no label function.)
     */
    static void nullSwap(Path png, NullSwapLatency.Result r) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Null swap latency at random points, %s fences (%,d swaps per case)", r.fences(), r.swaps()))
                .xAxisTitle("percentile").yAxisTitle("swap latency (us)").build();
        XYStyler st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setxAxisTickLabelsFormattingFunction(ReportCharts::percentileLabel);
        st.setYAxisDecimalPattern("#,##0.#");
        st.setXAxisMin(0.0);
        st.setLegendPosition(LegendPosition.OutsideS);
        st.setLegendLayout(LegendLayout.Horizontal);
        double xMax = 1;
        for (NullSwapLatency.Case c : List.of(r.one(), r.four())) {
            double[][] xy = percentiles(c.swaps());
            if (xy[0].length == 0) {
                continue;
            }
            String name = c.callers() == 1 ? "1 caller" : c.callers() + " callers (oversubscribed)";
            chart.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.NONE);
            xMax = Math.max(xMax, xy[0][xy[0].length - 1]);
        }
        anchor(chart, "K42 random: mean 10.8", ReportData.K42_NULL_SWAP_MEAN_US, xMax, new Color(0, 128, 0));
        anchor(chart, "K42 contended: mean 27.6", ReportData.K42_CONTENTION_MEAN_US, xMax, new Color(200, 120, 0));
        anchor(chart, "K42 contended: max 132.6", ReportData.K42_CONTENTION_MAX_US, xMax, new Color(200, 0, 0));
        save(chart, png);
    }

    /** x = log10(1 / (1 - p)) per HdrHistogram percentile step, y in microseconds (at least 1 ns); the maximum at x = log10(count). */
    static double[][] percentiles(Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() > 0) {
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100;
                if (p >= 1) {
                    break;
                }
                points.add(new double[] {-Math.log10(1 - p), Math.max(v.getValueIteratedTo(), 1) / 1e3});
            }
            double last = points.isEmpty() ? 0 : points.get(points.size() - 1)[0];
            points.add(new double[] {Math.max(last, Math.log10(h.getTotalCount())), Math.max(h.getMaxValue(), 1) / 1e3});
        }
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /** The percentile at x = log10(1 / (1 - p)): 0 -> 0%, 1 -> 90%, 1.5 -> 96.8%, 2 -> 99%, 3 -> 99.9%. */
    static String percentileLabel(double x) {
        double p = 100 * (1 - Math.pow(10, -x));
        String s = String.format(Locale.ROOT, "%." + Math.max(0, (int) Math.ceil(x - 1e-9) - 1) + "f", p);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s + "%";
    }

    private static void anchor(XYChart chart, String name, double us, double xMax, Color color) {
        XYSeries s = chart.addSeries(name, new double[] {0, xMax}, new double[] {us, us});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(color);
    }

    // ---- call paths ----

    /**
     * Nanoseconds per call per mechanism (CallPathBenchmark), one series per thread count, on a log
     * axis: the mechanisms span two orders of magnitude, and a noisy run's error bars would set the
     * scale of a linear one (JMH's errors are in report.md's table, not drawn).
     */
    static void callOverhead(Path png, List<JmhScore> scores) throws IOException {
        CategoryChart chart = barChart("One call per mechanism (JMH, average time)", "ns per call (log)", true);
        CategoryStyler st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(0.1); // a bar chart's axis otherwise starts at 0, which a log axis cannot
        st.setLabelsVisible(true);
        st.setLabelsPosition(1.0);
        st.setYAxisDecimalPattern("#,##0.#");
        Map<Integer, List<JmhScore>> byThreads = new LinkedHashMap<>();
        for (JmhScore s : scores) {
            if (s.className().equals("CallPathBenchmark")) {
                byThreads.computeIfAbsent(s.threads(), t -> new ArrayList<>()).add(s);
            }
        }
        List<String> order = ReportMarkdown.CALL_PATHS.keySet().stream().toList();
        for (Map.Entry<Integer, List<JmhScore>> e : byThreads.entrySet()) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            List<JmhScore> sorted = new ArrayList<>(e.getValue());
            sorted.sort((a, b) -> Integer.compare(rank(order, a.method()), rank(order, b.method())));
            for (JmhScore s : sorted) {
                names.add(ReportMarkdown.CALL_PATHS.getOrDefault(s.method(), s.method()));
                values.add(s.score());
            }
            chart.addSeries(e.getKey() + (e.getKey() == 1 ? " thread" : " threads"), names, values);
        }
        save(chart, png);
    }

    /** A bar chart with the legend under it; {@code rotated}: the category labels slanted (long names). */
    private static CategoryChart barChart(String title, String yAxisTitle, boolean rotated) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("")
                .yAxisTitle(yAxisTitle).build();
        CategoryStyler st = chart.getStyler();
        if (rotated) {
            st.setXAxisLabelRotation(20);
        }
        st.setLegendPosition(LegendPosition.OutsideS);
        st.setLegendLayout(LegendLayout.Horizontal);
        return chart;
    }

    private static int rank(List<String> order, String method) {
        int i = order.indexOf(method);
        return i < 0 ? order.size() : i;
    }

    // ---- live patching ----

    /**
     * The longest stall per update, median (left) and maximum (right), per client style, one bar per
     * load, log scale from {@link #STALL_FLOOR_MS}.
     */
    static void livePatchStalls(Path png, List<Outcome> outcomes) throws IOException {
        CategoryChart median = stallChart("Longest caller stall per update: median", outcomes, o -> o.stall().p50());
        CategoryChart max = stallChart("Longest caller stall per update: maximum", outcomes, o -> o.stall().max());
        BitmapEncoder.saveBitmap(List.of(median, max), 1, 2, png.toString(), BitmapFormat.PNG);
    }

    private static CategoryChart stallChart(String title, List<Outcome> outcomes, ToDoubleFunction<Outcome> value) {
        CategoryChart chart = barChart(title, "ms (log; under 0.05 ms shown at 0.05)", true);
        CategoryStyler st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setYAxisMin(STALL_FLOOR_MS / 2); // a bar chart's axis otherwise starts at 0, which a log axis cannot
        addByLoad(chart, outcomes, o -> Math.max(STALL_FLOOR_MS, value.applyAsDouble(o)));
        return chart;
    }

    /** Failed calls during the updates per client style, one bar per load. */
    static void livePatchFailures(Path png, List<Outcome> outcomes) throws IOException {
        CategoryChart chart = barChart("Failed calls during the updates (all measured updates of each run)", "failed calls", true);
        CategoryStyler st = chart.getStyler();
        st.setLabelsVisible(true);
        st.setLabelsRotation(90);
        st.setYAxisDecimalPattern("#,##0");
        st.setYAxisMin(0.0);
        addByLoad(chart, outcomes, o -> o.failed());
        save(chart, png);
    }

    private static void addByLoad(CategoryChart chart, List<Outcome> outcomes, ToDoubleFunction<Outcome> value) {
        List<Style> styles = outcomes.stream().filter(o -> o.error() == null).map(Outcome::style).distinct().sorted().toList();
        for (String load : outcomes.stream().map(Outcome::load).distinct().toList()) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (Style style : styles) {
                names.add(ReportMarkdown.shortLabel(style));
                values.add(outcomes.stream().filter(o -> o.load().equals(load) && o.style() == style && o.error() == null)
                        .map(o -> (Double) value.applyAsDouble(o)).findFirst().orElse(null));
            }
            chart.addSeries(load, names, values);
        }
    }

    // ---- FCMs ----

    /** Throughput of each choice over the best static choice of the same workload (medians of the rounds). */
    static void fcmThroughput(Path png, List<FcmWorkloads.Summary> summaries) throws IOException {
        CategoryChart chart = barChart("FCM throughput relative to the best static choice of each workload (1 = best static)",
                "throughput / best static", false);
        CategoryStyler st = chart.getStyler();
        st.setYAxisDecimalPattern("0.00");
        st.setYAxisMin(0.0);
        addByChoice(chart, summaries, (s, c) -> s.opsPerSecond().get(c) / s.opsPerSecond().get(s.bestStatic()));
        save(chart, png);
    }

    /** Page-cache hit ratio of each choice per workload (medians of the rounds). */
    static void fcmHitRatio(Path png, List<FcmWorkloads.Summary> summaries) throws IOException {
        CategoryChart chart = barChart("FCM hit ratio per workload", "hits / page lookups (%)", false);
        CategoryStyler st = chart.getStyler();
        st.setYAxisDecimalPattern("0");
        st.setYAxisMin(0.0);
        st.setYAxisMax(100.0);
        addByChoice(chart, summaries, (s, c) -> 100 * s.hitRatio().get(c));
        save(chart, png);
    }

    private static void addByChoice(CategoryChart chart, List<FcmWorkloads.Summary> summaries,
            ToDoubleBiFunction<FcmWorkloads.Summary, Choice> value) {
        List<String> workloads = summaries.stream().map(s -> s.c().title()).toList();
        for (Choice choice : Choice.values()) {
            List<Double> values = new ArrayList<>();
            for (FcmWorkloads.Summary s : summaries) {
                values.add(value.applyAsDouble(s, choice));
            }
            chart.addSeries(choice.name().toLowerCase(Locale.ROOT), workloads, values);
        }
    }

    private static void save(Chart<?, ?> chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapFormat.PNG);
    }
}

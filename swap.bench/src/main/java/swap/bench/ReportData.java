package swap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run of {@link Report} measured, as data: what {@link ReportCharts} draws and
 * {@link ReportMarkdown} writes, and nothing else (so a test can render a report from made-up
 * results). A part whose benchmark failed or was not run is empty; {@code problems} says why.
 *
 * @param machine where and when it ran, and the command
 * @param quick whether the run was {@code --quick} (shorter runs: check that everything runs, do not quote)
 * @param jmh every JMH score, one thread and (full runs) the call paths with two threads
 * @param nullSwaps {@link NullSwapLatency}'s result per fence mode asked for ({@code portable}, {@code asymmetric}, {@code handshake})
 * @param livePatch {@link LivePatchUnderLoad}'s outcome per load and style
 * @param fcm {@link FcmWorkloads}' runs
 * @param steps each step's name and wall time in seconds, in order
 * @param problems what went wrong (a step that failed or timed out, a benchmark missing), empty if nothing
 */
record ReportData(Machine machine, boolean quick, List<JmhScore> jmh, Map<String, NullSwapLatency.Result> nullSwaps,
        List<LivePatchUnderLoad.Outcome> livePatch, List<FcmWorkloads.Run> fcm, Map<String, Double> steps, List<String> problems) {

    /** K42's null swap at random points: mean (us), from the papers. */
    static final double K42_NULL_SWAP_MEAN_US = 10.8;
    /** K42's null swap under contention: mean and maximum (us), from the papers. */
    static final double K42_CONTENTION_MEAN_US = 27.6;
    static final double K42_CONTENTION_MAX_US = 132.6;
    /** Issue 5's plain Felix 7.0.5 + SCR reference: a client without a service per update, median and maximum (ms). */
    static final double ISSUE5_GONE_P50_MS = 14.6;
    static final double ISSUE5_GONE_MAX_MS = 227;

    /**
     * One JMH score.
     *
     * @param benchmark the full name, e.g. {@code swap.bench.CallPathBenchmark.stub}
     * @param threads the threads that ran it
     * @param score the mean, in {@code unit}
     * @param error the 99.9 % confidence half-width JMH gives (NaN with too few iterations)
     */
    record JmhScore(String benchmark, int threads, double score, double error, String unit) {

        /** The benchmark method's name, e.g. {@code stub}. */
        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /** The benchmark class's simple name, e.g. {@code CallPathBenchmark}. */
        String className() {
            String type = benchmark.substring(0, benchmark.lastIndexOf('.'));
            return type.substring(type.lastIndexOf('.') + 1);
        }
    }

    /**
     * Where and when the run happened.
     *
     * @param cores {@link Runtime#availableProcessors()}
     * @param loadAtStart {@code /proc/loadavg}'s three averages when the run began ("n/a" elsewhere)
     * @param loadAtEnd the same when it ended
     * @param command the command line that started the run, as the operating system reports it
     */
    record Machine(int cores, String jdk, String os, String cpu, ZonedDateTime start, String loadAtStart, String loadAtEnd,
            String command) {

        /** This machine, now. */
        static Machine here(String command) {
            return new Machine(Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                            + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    cpuModel(), ZonedDateTime.now(), loadAverage(), "", command);
        }

        Machine ended() {
            return new Machine(cores, jdk, os, cpu, start, loadAtStart, loadAverage(), command);
        }

        /** The 1, 5 and 15 minute load averages, or "n/a" without {@code /proc/loadavg}. */
        static String loadAverage() {
            try {
                String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return String.format(Locale.ROOT, "%s %s %s", f[0], f[1], f[2]);
            } catch (IOException | RuntimeException e) {
                return "n/a";
            }
        }

        private static String cpuModel() {
            try {
                Optional<String> model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
                return model.orElse("n/a");
            } catch (IOException | RuntimeException e) {
                return "n/a";
            }
        }
    }
}

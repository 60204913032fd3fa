package swap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.internal.ott.TableImpl;
import swap.internal.quiesce.Fences;
import swap.ott.Entry;
import swap.transfer.Transferable;

/**
 * Null hot swaps at random points under calls, measured with HdrHistogram and reported as K42's
 * papers report them (mean, standard deviation, minimum, maximum) plus percentiles, side by side:
 *
 * <ul>
 *   <li>(a) one caller and one swapper: no oversubscription on 2 cores (the case to hold against
 *       K42's 10.8 us mean at random points);
 *   <li>(b) four callers and one swapper: oversubscribed on 2 cores (never compare it with K42);
 *   <li>the longest time a caller was held, per swap, in both;
 *   <li>caller throughput during a swap storm (one swap per millisecond) against no swaps, in the
 *       same run.
 * </ul>
 *
 * Every swap moves a small state (a counter and a few longs) in the canonical protocol.
 *
 * <pre>
 * java -cp swap.bench/target/benchmarks.jar swap.bench.NullSwapLatency [swaps] [histogram-log-dir]
 * java -Dswap.bench.runqueue=true -cp swap.bench/target/benchmarks.jar swap.bench.NullSwapLatency
 * </pre>
 * Defaults: 10,000 swaps per case; no log files; each case (and each throughput run) starts after a
 * collection, {@code -Dswap.bench.settle=false} turns that off. With {@code swap.bench.runqueue=true} (Linux), a
 * diagnosis of the long swaps: the time the caller and the swapper waited on a run queue during
 * each swap (from {@code /proc/thread-self/schedstat}, read before and after each swap, outside
 * the timed part), how many swaps over {@link #LONG_NANOS} waited that way for most of their
 * length or overlapped a collection, the swap times less those waits, and what took more than half
 * of each swap over {@link #LONG_NANOS} (see {@link OffCpu}), with one line on each of the first
 * {@value #LONG_SWAP_LINES}. With a log folder, the
 * run's {@link Result} goes there (HdrHistogram logs of the swap latencies and the longest holds,
 * and {@code null-swap.csv}), where {@link Result#read} finds it again: {@link Report} runs this
 * class in a child JVM per fence mode and reads its results that way.
 */
public final class NullSwapLatency {

    /** The component swapped: an operation that does a little work. */
    public interface Accumulator {
        long add(long x);
    }

    /** Small state, moved in protocol 0. */
    public static final class SmallState implements Accumulator, Transferable {
        private final AtomicLong sum = new AtomicLong();
        private final long[] recent = new long[4];

        @Override
        public long add(long x) {
            recent[(int) (x & 3)] = x;
            return sum.addAndGet(x);
        }

        @Override
        public long exportProtocols() {
            return 1;
        }

        @Override
        public long importProtocols() {
            return 1;
        }

        @Override
        public Object exportState(int protocol) {
            long[] state = new long[5];
            state[0] = sum.get();
            System.arraycopy(recent, 0, state, 1, 4);
            return state;
        }

        @Override
        public void importState(int protocol, Object state) {
            long[] s = (long[]) state;
            sum.set(s[0]);
            System.arraycopy(s, 1, recent, 0, 4);
        }
    }

    /**
     * What one run measured, as data: the fence mode in effect, both cases, and the throughput of one
     * caller without and with a swap per millisecond. {@link #write} leaves it in a folder as
     * HdrHistogram logs and a CSV line; {@link #read} reads that back.
     */
    record Result(String fences, int swaps, Case one, Case four, double quietCallsPerSecond, double stormCallsPerSecond) {

        /** The file names in a result folder; the four logs are the ones this class has always written. */
        static final String SWAPS_1 = "null-swap-1-caller.hlog";
        static final String SWAPS_4 = "null-swap-4-callers.hlog";
        static final String HOLDS_1 = "hold-1-caller.hlog";
        static final String HOLDS_4 = "hold-4-callers.hlog";
        static final String SUMMARY = "null-swap.csv";

        /** Caller throughput during a swap storm over that without swaps. */
        double stormToQuiet() {
            return stormCallsPerSecond / quietCallsPerSecond;
        }

        void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            NullSwapLatency.write(dir.resolve(SWAPS_1), one.swaps());
            NullSwapLatency.write(dir.resolve(SWAPS_4), four.swaps());
            NullSwapLatency.write(dir.resolve(HOLDS_1), one.holds());
            NullSwapLatency.write(dir.resolve(HOLDS_4), four.holds());
            Files.write(dir.resolve(SUMMARY), List.of(
                    Csv.line("fences", "swaps", "failed_1_caller", "failed_4_callers", "calls_per_s_1_caller", "calls_per_s_4_callers",
                            "quiet_calls_per_s", "storm_calls_per_s"),
                    Csv.line(fences, swaps, one.failed(), four.failed(), num(one.callsPerSecond()), num(four.callsPerSecond()),
                            num(quietCallsPerSecond), num(stormCallsPerSecond))));
        }

        static Result read(Path dir) throws IOException {
            Map<String, String> row = Csv.read(dir.resolve(SUMMARY)).get(0);
            Case one = new Case(1, readLog(dir.resolve(SWAPS_1)), readLog(dir.resolve(HOLDS_1)),
                    Integer.parseInt(row.get("failed_1_caller")), Double.parseDouble(row.get("calls_per_s_1_caller")));
            Case four = new Case(4, readLog(dir.resolve(SWAPS_4)), readLog(dir.resolve(HOLDS_4)),
                    Integer.parseInt(row.get("failed_4_callers")), Double.parseDouble(row.get("calls_per_s_4_callers")));
            return new Result(row.get("fences"), Integer.parseInt(row.get("swaps")), one, four,
                    Double.parseDouble(row.get("quiet_calls_per_s")), Double.parseDouble(row.get("storm_calls_per_s")));
        }

        private static String num(double x) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
    }

    /** One case as data: {@code callers} threads, the swap latencies and longest holds (ns), the failed swaps. */
    record Case(int callers, Histogram swaps, Histogram holds, int failed, double callsPerSecond) {
    }

    /** One case's measurements. */
    static final class Run {
        final Histogram swaps = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram holds = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram forward = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram blocked = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram transfer = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long calls;
        long elapsedNanos;
        int failed;
        /** Bytes the swapping thread allocated during the run (swaps and their bookkeeping), -1 if unknown. */
        long allocatedBytes;
        /** Collections during the run. */
        long collections;
        /** With the run-queue diagnosis: each swap less the run-queue waits of the caller and the swapper during it. */
        final Histogram lessWaits = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        /** Swaps over LONG_NANOS; those of them that waited on a run queue for more than half their length; those during a collection. */
        int longSwaps;
        int longSwapsMostlyWaiting;
        int longSwapsWithCollection;
        /** Swaps over LONG_NANOS by what took most of them (see {@link OffCpu#cause}), in the order first seen. */
        final Map<String, Integer> longSwapCauses = new LinkedHashMap<>();
        /** One line for each of the first LONG_SWAP_LINES swaps over LONG_NANOS (see {@link OffCpu#describe}). */
        final List<String> longSwapDetails = new ArrayList<>();
        /** Handshake fences: flips every other caller acknowledged, and flips that ran membarrier instead. */
        long handshakes;
        long membarriers;

        Case toCase(int callers) {
            return new Case(callers, swaps, holds, failed, calls / (elapsedNanos / 1e9));
        }
    }

    /** The longest warm-up. */
    private static final Duration WARM_UP_MAX = Duration.ofSeconds(20);
    /** A swap longer than this is long (issue 4's target for the maximum). */
    static final long LONG_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private NullSwapLatency() {
    }

    private static final List<GarbageCollectorMXBean> COLLECTORS = ManagementFactory.getGarbageCollectorMXBeans();

    /**
     * Collects the garbage of what ran before (the warm-up, the case before), so that a case does
     * not pay for it: each case starts from the same heap. A case of 10,000 swaps then allocates
     * about 10 MB (the swapping thread's bytes per swap are reported), usually less than the young
     * generation holds; a young collection, when one comes, lands inside a swap (the swapping thread
     * is the one that allocates) and stops every thread for 1.5-6 ms on these machines.
     */
    private static void settle() {
        if (SETTLE) {
            System.gc();
            pause(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Whether each case starts from a settled heap ({@link #settle}); {@code -Dswap.bench.settle=false} turns it off. */
    private static final boolean SETTLE = Boolean.parseBoolean(System.getProperty("swap.bench.settle", "true"));

    /** Bytes the calling thread has allocated so far, or -1 where the JVM does not tell. */
    private static long allocatedBytes() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemoryEnabled()
                ? hotspot.getCurrentThreadAllocatedBytes() : -1;
    }

    /** Collections so far, of every collector of this JVM. */
    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : COLLECTORS) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        // one INFO line per swap is the framework's habit; here it would measure the console
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int swaps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path logs = args.length > 1 ? Path.of(args[1]) : null;
        PrintStream out = System.out;
        String fences = Fences.defaultMode().name().toLowerCase(Locale.ROOT);
        out.printf(Locale.ROOT, "null swaps at random points, small state; %d swaps per case; %s fences; %d cores; %s%s%n", swaps,
                fences, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                SETTLE ? "" : "; the heap not settled before each case");
        out.println(warmUp());
        settle();
        Run one = swapsAtRandomPoints(1, swaps);
        settle();
        Run four = swapsAtRandomPoints(4, swaps);
        report(out, "(a) 1 caller, 1 swapper", one);
        report(out, "(b) 4 callers, 1 swapper (oversubscribed)", four);
        settle();
        double quiet = throughput(1, Duration.ofSeconds(2), false);
        settle();
        double storm = throughput(1, Duration.ofSeconds(2), true);
        out.printf(Locale.ROOT, "caller throughput, 1 caller: no swaps %.0f calls/s, a swap per ms %.0f calls/s: %.1f %%%n",
                quiet, storm, 100 * storm / quiet);
        if (logs != null) {
            new Result(fences, swaps, one.toCase(1), four.toCase(4), quiet, storm).write(logs);
            out.println("histogram logs and " + Result.SUMMARY + ": " + logs);
        }
    }

    /**
     * Swaps under 4 callers and then under 1 until the JIT has compiled nothing for a whole batch
     * (at most {@link #WARM_UP_MAX}): a compiler thread still at work takes one of the 2 cores from
     * the caller or the swapper, and a swap that waits for a caller the compiler keeps off the CPU
     * measures the compiler (seen with {@code top -H}: C2 at 15-55 % of a core during the first
     * seconds of case (a) after a warm-up of 3,000 swaps).
     *
     * @return what the warm-up took, as text
     */
    private static String warmUp() throws InterruptedException, IOException {
        long start = System.nanoTime();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        swapsAtRandomPoints(4, 300);
        int batches = 0;
        long compiling;
        do {
            long before = timed ? jit.getTotalCompilationTime() : 0;
            swapsAtRandomPoints(1, 2_000);
            batches++;
            compiling = timed ? jit.getTotalCompilationTime() - before : 0;
        } while (compiling > 0 && System.nanoTime() - start < WARM_UP_MAX.toNanos());
        return String.format(Locale.ROOT, "warm-up: 300 swaps under 4 callers, %d x 2,000 under 1, %.1f s%s", batches,
                (System.nanoTime() - start) / 1e9, compiling > 0 ? ", the JIT still compiling at the end" : "");
    }

    /** {@code swaps} null swaps while {@code callers} threads call, each after a random pause. */
    static Run swapsAtRandomPoints(int callers, int swaps) throws InterruptedException, IOException {
        TableImpl table = new TableImpl();
        Entry<Accumulator> entry = table.register(Accumulator.class, new SmallState());
        Accumulator stub = entry.stub();
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        AtomicReferenceArray<RunQueueClock> callerClocks = new AtomicReferenceArray<>(callers);
        List<Thread> threads = startCallers(callers, stub, stop, calls, callerClocks);
        RunQueueClock swapperClock = RunQueueClock.DIAGNOSE ? RunQueueClock.ofCurrentThread() : null;
        OffCpu offCpu = RunQueueClock.DIAGNOSE ? new OffCpu(threads, swapperClock, callerClocks, calls) : null;
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofSeconds(5));
        Run run = new Run();
        long allocatedBefore = allocatedBytes();
        long collectionsAtStart = collections();
        long start = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < swaps; i++) {
            pause(random.nextLong(1_000, 200_000)); // a random point in the callers' stream
            try {
                long collectionsBefore = RunQueueClock.DIAGNOSE ? collections() : 0;
                long fellBackBefore = RunQueueClock.DIAGNOSE ? table.stacks().handshakesFellBack() : 0;
                if (RunQueueClock.DIAGNOSE) {
                    offCpu.before();
                }
                SwapResult r = entry.swap(SwapTarget.fresh(), options, "null swap");
                if (RunQueueClock.DIAGNOSE) {
                    offCpu.after(r.maxHoldNanos);
                    long waited = offCpu.waitedInAll();
                    run.lessWaits.recordValue(Math.max(0, r.totalNanos - waited));
                    if (r.totalNanos > LONG_NANOS) {
                        run.longSwaps++;
                        if (2 * waited > r.totalNanos) {
                            run.longSwapsMostlyWaiting++;
                        }
                        boolean collected = collections() != collectionsBefore;
                        if (collected) {
                            run.longSwapsWithCollection++;
                        }
                        run.longSwapCauses.merge(offCpu.cause(r.totalNanos, collected), 1, Integer::sum);
                        String flip = table.stacks().mode() != Fences.Mode.HANDSHAKE ? ""
                                : table.stacks().handshakesFellBack() != fellBackBefore ? ", flip fell back to membarrier"
                                : ", flip acknowledged";
                        if (run.longSwapDetails.size() < LONG_SWAP_LINES) {
                            run.longSwapDetails.add(offCpu.describe(r, collected, flip));
                        }
                    }
                }
                run.swaps.recordValue(r.totalNanos);
                run.holds.recordValue(r.maxHoldNanos);
                run.forward.recordValue(r.forwardNanos);
                run.blocked.recordValue(r.blockedNanos);
                run.transfer.recordValue(r.transferNanos);
            } catch (RuntimeException e) {
                run.failed++;
            }
        }
        run.elapsedNanos = System.nanoTime() - start;
        run.allocatedBytes = allocatedBytes() - allocatedBefore;
        run.collections = collections() - collectionsAtStart;
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        run.calls = calls.sum();
        run.handshakes = table.stacks().handshakesAcknowledged();
        run.membarriers = table.stacks().handshakesFellBack();
        table.close();
        if (RunQueueClock.DIAGNOSE) {
            swapperClock.close();
            for (int i = 0; i < callers; i++) {
                if (callerClocks.get(i) != null) {
                    callerClocks.get(i).close();
                }
            }
        }
        return run;
    }

    /** How many long swaps the run-queue diagnosis describes one by one. */
    private static final int LONG_SWAP_LINES = 12;

    /**
     * Where the swapper and the callers were during one swap, for the run-queue diagnosis: on
     * their CPU (thread CPU time, {@code CLOCK_THREAD_CPUTIME_ID}), waiting on a run queue
     * ({@link RunQueueClock}), or neither. A caller never sleeps but while it is held, so a
     * caller's time that is neither, less its hold, is time it was stopped at a safepoint or its
     * virtual CPU did not run: with {@code CONFIG_PARAVIRT_TIME_ACCOUNTING} (as here) the guest
     * kernel leaves the time stolen by the hypervisor out of its threads' CPU time. The swapper's
     * such time also holds its parks.
     * And what the JVM's other threads (the JIT, the collector) ran meanwhile: the process's CPU
     * time less the swapper's and the callers'. Read before and after each swap, outside the
     * timed part; a caller not started yet counts 0.
     */
    private static final class OffCpu {
        private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        private final ProcessCpu process = new ProcessCpu();
        /** The callers' calls so far (counted 256 at a time), and since when. */
        private final LongAdder calls;
        private final long started;
        private long callsBefore;
        private long callsDuring;
        private long window;
        private final List<Thread> callers;
        private final RunQueueClock swapperClock;
        private final AtomicReferenceArray<RunQueueClock> callerClocks;
        private final long[] callerCpu;
        private final long[] callerWait;
        private long swapperCpu;
        private long swapperWait;
        private long processCpu;
        private long wall;
        private long othersCpuDelta;
        private long callerOff;
        private long callerCpuDelta;
        private long callerWaitDelta;
        private long swapperOff;
        private long swapperCpuDelta;
        private long swapperWaitDelta;
        private long waitedInAll;

        OffCpu(List<Thread> callers, RunQueueClock swapperClock, AtomicReferenceArray<RunQueueClock> callerClocks, LongAdder calls) {
            this.calls = calls;
            this.started = System.nanoTime();
            this.callers = callers;
            this.swapperClock = swapperClock;
            this.callerClocks = callerClocks;
            this.callerCpu = new long[callers.size()];
            this.callerWait = new long[callers.size()];
        }

        void before() {
            for (int i = 0; i < callerCpu.length; i++) {
                callerCpu[i] = Math.max(0, cpu.getThreadCpuTime(callers.get(i).getId()));
                callerWait[i] = waited(i);
            }
            swapperWait = swapperClock.waitedNanos();
            processCpu = process.nanos();
            swapperCpu = cpu.getCurrentThreadCpuTime();
            callsBefore = calls.sum();
            wall = System.nanoTime();
        }

        /** Computes the swap's figures; {@code heldNanos}: the longest time a caller was held in it. */
        void after(long heldNanos) {
            window = System.nanoTime() - wall;
            callsDuring = calls.sum() - callsBefore;
            swapperCpuDelta = cpu.getCurrentThreadCpuTime() - swapperCpu;
            long processCpuDelta = process.nanos() - processCpu;
            swapperWaitDelta = swapperClock.waitedNanos() - swapperWait;
            swapperOff = Math.max(0, window - swapperCpuDelta - swapperWaitDelta);
            callerOff = 0;
            long callersCpuDelta = 0;
            waitedInAll = swapperWaitDelta;
            for (int i = 0; i < callerCpu.length; i++) {
                long used = Math.max(0, cpu.getThreadCpuTime(callers.get(i).getId())) - callerCpu[i];
                callersCpuDelta += used;
                long queued = waited(i) - callerWait[i];
                waitedInAll += queued;
                long off = Math.max(0, window - used - queued - heldNanos);
                if (off >= callerOff) {
                    callerOff = off;
                    callerCpuDelta = used;
                    callerWaitDelta = queued;
                }
            }
            othersCpuDelta = Math.max(0, processCpuDelta - swapperCpuDelta - callersCpuDelta);
        }

        /** The run-queue waits of the swapper and every caller during the last swap, summed. */
        long waitedInAll() {
            return waitedInAll;
        }

        /**
         * What took most of the last swap, which lasted {@code total} ns: a collection (its pause
         * stops every thread), the run queues (the swapper's and the callers' waits),
         * a caller off its CPU outside a run queue (at a safepoint, or its virtual CPU not running),
         * the swapper's own time on its CPU, or none of these alone.
         */
        String cause(long total, boolean collected) {
            if (collected) {
                return "a collection";
            }
            if (2 * waitedInAll > total) {
                return "waits on a run queue";
            }
            if (2 * callerOff > total) {
                return "a caller off its CPU outside a run queue";
            }
            if (2 * callerCpuDelta > total && callsDuring < 0.01 * callRate() * window) {
                return "the callers on their CPU but not running (the virtual machine stopped)";
            }
            if (2 * swapperCpuDelta > total) {
                return "the swapper on its CPU";
            }
            return "none of these alone";
        }

        /** One line on the last swap: its phases, then where the caller (the one off its CPU longest) and the swapper were. */
        String describe(SwapResult r, boolean collected, String flip) {
            return String.format(Locale.ROOT, "%.1f us (forward %.1f, blocked %.1f, transfer %.1f; held %.1f)%s%s;"
                    + " caller: on CPU %.1f, run queue %.1f, off CPU otherwise %.1f; swapper: on CPU %.1f, run queue %.1f,"
                    + " off CPU otherwise (parked, at a safepoint or not running) %.1f;"
                    + " run queue in all %.1f; the JVM's other threads on CPU %.1f; the callers made %d calls (%.0f expected at"
                    + " the run's rate)", r.totalNanos / 1e3, r.forwardNanos / 1e3, r.blockedNanos / 1e3, r.transferNanos / 1e3,
                    r.maxHoldNanos / 1e3, flip, collected ? ", during a collection" : "",
                    callerCpuDelta / 1e3, callerWaitDelta / 1e3, callerOff / 1e3, swapperCpuDelta / 1e3, swapperWaitDelta / 1e3,
                    swapperOff / 1e3, waitedInAll / 1e3, othersCpuDelta / 1e3, callsDuring, callRate() * window);
        }

        /** The callers' calls per ns so far, on average. */
        private double callRate() {
            return calls.sum() / (double) Math.max(1, System.nanoTime() - started);
        }

        private long waited(int caller) {
            RunQueueClock c = callerClocks.get(caller);
            return c == null ? 0 : c.waitedNanos();
        }
    }

    /** Calls per second of {@code callers} threads for {@code length}, with or without a swap every millisecond. */
    static double throughput(int callers, Duration length, boolean storm) throws InterruptedException {
        TableImpl table = new TableImpl();
        Entry<Accumulator> entry = table.register(Accumulator.class, new SmallState());
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        List<Thread> threads = startCallers(callers, entry.stub(), stop, calls, new AtomicReferenceArray<>(callers));
        pause(TimeUnit.MILLISECONDS.toNanos(300)); // let the callers warm up
        long before = calls.sum();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        SwapOptions options = SwapOptions.defaults().withTimeout(Duration.ofSeconds(5));
        while (System.nanoTime() < end) {
            if (storm) {
                entry.swap(SwapTarget.fresh(), options, "storm");
            }
            pause(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long made = calls.sum() - before;
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        table.close();
        return made / seconds;
    }

    /** Parks for {@code nanos} (parking may return early: loop to the deadline). */
    private static void pause(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Starts the callers; with the run-queue diagnosis, each puts its clock in {@code clocks} first. */
    private static List<Thread> startCallers(int callers, Accumulator stub, AtomicBoolean stop, LongAdder calls,
            AtomicReferenceArray<RunQueueClock> clocks) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int caller = i;
            Thread t = new Thread(() -> {
                if (RunQueueClock.DIAGNOSE) {
                    clocks.set(caller, RunQueueClock.ofCurrentThread());
                }
                long n = 0;
                while (!stop.get()) {
                    stub.add(n++);
                    if ((n & 255) == 0) {
                        calls.add(256);
                    }
                }
            }, "caller-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    private static void report(PrintStream out, String name, Run run) {
        out.printf(Locale.ROOT, "%s: %d swaps (%d failed), %.0f calls/s during the run%n", name, run.swaps.getTotalCount(),
                run.failed, run.calls / (run.elapsedNanos / 1e9));
        if (run.allocatedBytes >= 0) {
            out.printf(Locale.ROOT, "  the swapping thread allocated %.0f bytes per swap; %d collection(s) during the run%n",
                    run.allocatedBytes / (double) Math.max(1, run.swaps.getTotalCount()), run.collections);
        }
        line(out, "  swap latency", run.swaps);
        line(out, "  longest hold", run.holds);
        line(out, "  forward phase", run.forward);
        line(out, "  blocked phase", run.blocked);
        line(out, "  transfer phase", run.transfer);
        if (run.handshakes + run.membarriers > 0) {
            out.printf(Locale.ROOT, "  flips acknowledged by every caller: %d; not in time, so with membarrier: %d%n", run.handshakes,
                    run.membarriers);
        }
        if (RunQueueClock.DIAGNOSE) {
            line(out, "  swap less the run-queue waits of the swapper and callers", run.lessWaits);
            out.printf(Locale.ROOT, "  swaps over %d us: %d, of which %d waited on a run queue for more than half their time and %d"
                    + " overlapped a garbage collection%n", TimeUnit.NANOSECONDS.toMicros(LONG_NANOS), run.longSwaps,
                    run.longSwapsMostlyWaiting, run.longSwapsWithCollection);
            if (run.longSwaps > 0) {
                out.printf(Locale.ROOT, "  swaps over %d us by what took more than half of each: %s%n", TimeUnit.NANOSECONDS.toMicros(LONG_NANOS),
                        run.longSwapCauses.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            run.longSwapDetails.forEach(line -> out.println("    " + line));
            if (run.longSwaps > run.longSwapDetails.size()) {
                out.printf(Locale.ROOT, "    (%d more)%n", run.longSwaps - run.longSwapDetails.size());
            }
        }
    }

    private static void line(PrintStream out, String what, Histogram h) {
        out.printf(Locale.ROOT, "%s (us): mean %.1f, std dev %.1f, min %.1f, max %.1f; p50 %.1f, p99 %.1f, p99.9 %.1f%n", what,
                h.getMean() / 1e3, h.getStdDeviation() / 1e3, h.getMinValue() / 1e3, h.getMaxValue() / 1e3,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3);
    }

    private static void write(Path file, Histogram h) throws IOException {
        try (PrintStream ps = new PrintStream(Files.newOutputStream(file))) {
            HistogramLogWriter writer = new HistogramLogWriter(ps);
            writer.outputLogFormatVersion();
            writer.outputLegend();
            writer.outputIntervalHistogram(h);
        }
    }

    /** The histogram {@link #write} left in {@code file}. */
    private static Histogram readLog(Path file) throws IOException {
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram h = reader.nextIntervalHistogram();
            if (!(h instanceof Histogram)) {
                throw new IOException(file + " holds no histogram");
            }
            return (Histogram) h;
        }
    }
}

package swap.fcm.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;

/**
 * What the workload tests share: a scratch parent ({@code @TempDir}), a frame pool, runs in a
 * thread of their own with bounded waits, and the check that a run left nothing behind.
 */
abstract class WorkloadTesting {

    /** Every wait of a test is bounded by this (a failure, never a measure of speed). */
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path scratch;
    FramePool pool;
    private Thread runner;

    /** The pool's budget for tests that do not choose one: the container's default. */
    int budget() {
        return FramePool.DEFAULT_BUDGET;
    }

    @BeforeEach
    void makePool() {
        pool = FileCaches.newFramePool(budget());
    }

    @AfterEach
    void joinRunner() throws InterruptedException {
        if (runner != null) {
            runner.join(BOUND.toMillis());
            assertThat(runner.isAlive()).as("the runner thread ended").isFalse();
        }
    }

    RecordingOpener opener(Fcms fcms) {
        return new RecordingOpener(pool, fcms);
    }

    /** The quick parameters of the workload named {@code name}. */
    static Workload quick(String name) {
        return Workloads.named(name, true);
    }

    /** Every workload's name with every FCM. */
    static Stream<Object[]> everyWorkloadOnEveryFcm() {
        return Workloads.names().stream().flatMap(n -> Stream.of(Fcms.values()).map(f -> new Object[] { n, f }));
    }

    /** Starts {@code workload} in a thread of its own (joined after the test). */
    FutureTask<WorkloadResult> start(Workload workload, FcmOpener opener, WorkloadControl control) {
        FutureTask<WorkloadResult> task = new FutureTask<>(() -> workload.run(opener, scratch, control));
        runner = new Thread(task, "runner of " + workload.name());
        runner.start();
        return task;
    }

    /** The run's result, or what it threw. */
    static WorkloadResult resultOf(FutureTask<WorkloadResult> task) throws Throwable {
        try {
            return task.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + BOUND, e);
        }
    }

    /** Waits (bounded) until {@code condition} holds. */
    static void awaitUntil(BooleanSupplier condition, String what) {
        try {
            Awaitility.await(what).atMost(BOUND).pollInterval(Duration.ofMillis(1)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + BOUND + ": " + what, e);
        }
    }

    /** The run left no file, no directory, no open cache and no frame behind. */
    void assertNothingLeftBehind(RecordingOpener opener) throws IOException {
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left.toList()).as("what the run left in the scratch parent").isEmpty();
        }
        assertThat(opener.stillOpen()).as("caches opened and not released").isZero();
        assertThat(opener.released()).as("every opened cache released once").isEqualTo(opener.opened());
        assertThat(pool.inUse()).as("frames in use after the run").isZero();
        assertThat(pool.openAccounts()).as("pool accounts open after the run").isZero();
    }

    /** The operations a quick run of {@code name} plans. */
    static long plannedOps(String name) {
        return switch (name) {
            case Workloads.POSTMARK -> PostmarkParameters.quick().transactions();
            case Workloads.SDET, Workloads.MIXED -> (long) SdetParameters.quick().scripts() * SdetParameters.quick().commands();
            case Workloads.STREAM -> StreamParameters.quick().streams() * StreamParameters.quick().passes()
                    * (StreamParameters.quick().fileSize() / swap.fcm.FileCacheManager.PAGE_SIZE);
            default -> throw new AssertionError(name);
        };
    }
}

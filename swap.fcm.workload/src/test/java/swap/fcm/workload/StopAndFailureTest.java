package swap.fcm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import swap.fcm.FileCacheManager;
import swap.fcm.workload.WorkloadControl.Phase;

/** Stopping a run, interrupting it, and failing it: each ends the run promptly, and it always cleans up. */
class StopAndFailureTest extends WorkloadTesting {

    /** Runs that would take hours: quick sizes, endless counts. */
    static Workload endless(String name) {
        return switch (name) {
            case Workloads.POSTMARK -> Workloads.postmark(PostmarkParameters.quick().withTransactions(Integer.MAX_VALUE));
            case Workloads.SDET -> Workloads.sdet(SdetParameters.quick().withCommands(Integer.MAX_VALUE));
            case Workloads.STREAM -> Workloads.stream(StreamParameters.quick().withPasses(Integer.MAX_VALUE));
            case Workloads.MIXED -> Workloads.mixed(MixedParameters.quick()
                    .withSdet(SdetParameters.quick().withCommands(Integer.MAX_VALUE)));
            default -> throw new AssertionError(name);
        };
    }

    static Stream<Object[]> runs() {
        return everyWorkloadOnEveryFcm();
    }

    /** A stop from another thread ends a long run within one operation per thread, and the run cleans up. */
    @ParameterizedTest(name = "{0} on the {1} FCM")
    @MethodSource("runs")
    void stopFromAnotherThreadEndsALongRunAndItCleansUp(String name, Fcms fcms) throws Throwable {
        RecordingOpener opener = opener(fcms);
        WorkloadControl control = new WorkloadControl();
        FutureTask<WorkloadResult> run = start(endless(name), opener, control);
        awaitUntil(() -> control.phase() == Phase.RUNNING && control.operations() > 10, "the run is under way");

        control.stop();
        WorkloadResult result = resultOf(run);

        assertThat(result.stopped()).isTrue();
        assertThat(result.operations()).isPositive().isLessThan(control.planned()).isEqualTo(control.operations());
        assertThat(control.phase()).isEqualTo(Phase.DONE);
        assertNothingLeftBehind(opener);
    }

    @Test
    void aRunStoppedBeforeItStartsCreatesNothing() throws IOException {
        RecordingOpener opener = opener(Fcms.SHARED);
        WorkloadControl control = new WorkloadControl();
        control.stop();

        WorkloadResult result = quick(Workloads.SDET).run(opener, scratch, control);

        assertThat(result.stopped()).isTrue();
        assertThat(result.operations()).isZero();
        assertThat(result.elapsedNanos()).isZero();
        assertThat(opener.opened()).isZero();
        assertNothingLeftBehind(opener);
    }

    /** A stop while the run is still making its files ends the preparation, and the run deletes what it made. */
    @Test
    void stopDuringPreparationEndsItAndTheRunCleansUp() throws Throwable {
        RecordingOpener opener = opener(Fcms.SHARED);
        WorkloadControl control = new WorkloadControl();
        FutureTask<WorkloadResult> run = start(Workloads.postmark(PostmarkParameters.quick().withFiles(Integer.MAX_VALUE)),
                opener, control);
        awaitUntil(() -> control.phase() == Phase.PREPARING && opener.opened() > 10, "files are being made");

        control.stop();
        WorkloadResult result = resultOf(run);

        assertThat(result.stopped()).isTrue();
        assertThat(result.operations()).isZero();
        assertThat(result.bytesWritten()).isPositive();
        assertNothingLeftBehind(opener);
    }

    /** Interrupting the calling thread stops the run; the interrupt is still set when the run returns. */
    @Test
    void anInterruptOfTheCallingThreadStopsTheRunAndIsRestored() throws Throwable {
        RecordingOpener opener = opener(Fcms.REPLICATED);
        WorkloadControl control = new WorkloadControl();
        boolean[] interruptedAfter = new boolean[1];
        FutureTask<WorkloadResult> run = new FutureTask<>(() -> {
            try {
                return endless(Workloads.SDET).run(opener, scratch, control);
            } finally {
                interruptedAfter[0] = Thread.currentThread().isInterrupted();
            }
        });
        Thread runner = new Thread(run, "interrupted runner");
        runner.start();
        awaitUntil(() -> control.phase() == Phase.RUNNING && control.operations() > 10, "the run is under way");

        runner.interrupt();
        WorkloadResult result = resultOf(run);
        runner.join(BOUND.toMillis());

        assertThat(result.stopped()).isTrue();
        assertThat(control.isStopped()).isTrue();
        assertThat(interruptedAfter[0]).as("interrupt status when run() returned").isTrue();
        assertNothingLeftBehind(opener);
    }

    static Stream<Arguments> failingOpens() {
        // postmark: 100 files made in preparation, then creates in the transactions; sdet: 16 shared files, then
        // 2 scratch files; the mix: sdet's 18, then the stream's
        return Stream.of(Arguments.of(Workloads.POSTMARK, 1), Arguments.of(Workloads.POSTMARK, 50),
                Arguments.of(Workloads.POSTMARK, 130), Arguments.of(Workloads.SDET, 1), Arguments.of(Workloads.SDET, 9),
                Arguments.of(Workloads.SDET, 18), Arguments.of(Workloads.STREAM, 1), Arguments.of(Workloads.MIXED, 19));
    }

    /** An opener that fails its Nth open fails the run with its exception, and leaves no file and no frame behind. */
    @ParameterizedTest(name = "{0}, open number {1} fails")
    @MethodSource("failingOpens")
    void aFailingOpenFailsTheRunAndLeavesNothingBehind(String name, int failingOpen) throws IOException {
        RecordingOpener opener = opener(Fcms.SHARED).failingAtOpen(failingOpen);
        WorkloadControl control = new WorkloadControl();

        IOException e = catchThrowableOfType(IOException.class, () -> quick(name).run(opener, scratch, control));

        assertThat(e).hasMessageStartingWith("open number " + failingOpen + " fails");
        assertThat(opener.opened()).isEqualTo(failingOpen - 1);
        assertThat(control.phase()).isEqualTo(Phase.DONE);
        assertNothingLeftBehind(opener);
    }

    /** A failing release does not keep the others from being released, nor the files from being deleted. */
    @Test
    void aFailingReleaseFailsTheRunAfterEveryCacheWasReleased() {
        RecordingOpener opener = opener(Fcms.SHARED).failingFirstRelease();

        assertThatThrownBy(() -> quick(Workloads.SDET).run(opener, scratch, new WorkloadControl()))
                .isInstanceOf(IOException.class).hasMessage("release number 1 fails, as the test asked");

        assertThat(opener.released()).isEqualTo(opener.opened()).isEqualTo(18);
        assertThat(pool.inUse()).isZero();
        assertThat(scratch).isEmptyDirectory();
    }

    /**
     * A script stuck inside a cache: the run notices that nothing progresses, halts the scripts,
     * gives up on the stuck one after the bound (interrupting it), fails, deletes its files, and
     * leaves the caches open rather than closing one under a thread that may still be inside.
     */
    @Test
    void aStuckScriptFailsTheRunWithinTheBoundAndItsCachesAreAbandoned() throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        List<FileCacheManager> opened = new CopyOnWriteArrayList<>();
        RecordingOpener opener = opener(Fcms.SHARED).wrapping(fcm -> {
            FileCacheManager watched = new ForwardingFcm(fcm) {
                @Override
                public int read(long position, byte[] buffer, int offset, int length) throws IOException {
                    if (Thread.currentThread().getName().equals("sdet-script-0")) {
                        try {
                            never.await(); // until interrupted
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException("interrupted while stuck");
                        }
                    }
                    return target.read(position, buffer, offset, length);
                }
            };
            opened.add(watched);
            return watched;
        });
        WorkloadControl control = new WorkloadControl(Duration.ofMillis(300));

        assertThatThrownBy(() -> quick(Workloads.SDET).run(opener, scratch, control))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("[sdet-script-0] did not end within 300 ms");

        assertThat(scratch).isEmptyDirectory();
        assertThat(opener.stillOpen()).as("caches abandoned, not released").isEqualTo(opener.opened());
        for (FileCacheManager fcm : opened) {
            fcm.close();
        }
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void aControlServesOneRun() throws IOException {
        WorkloadControl control = new WorkloadControl();
        quick(Workloads.STREAM).run(opener(Fcms.MRU), scratch, control);

        assertThatThrownBy(() -> quick(Workloads.STREAM).run(opener(Fcms.MRU), scratch, control))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("serves one run");
        assertThat(scratch).isEmptyDirectory();
    }

    @Test
    void aMissingScratchParentFailsBeforeAnythingIsOpened() {
        RecordingOpener opener = opener(Fcms.SHARED);

        assertThatThrownBy(() -> quick(Workloads.POSTMARK).run(opener, scratch.resolve("nowhere"), new WorkloadControl()))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("nowhere");
        assertThat(opener.opened()).isZero();
    }
}

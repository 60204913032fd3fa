package swap.fcm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import swap.fcm.FileCacheManager;
import swap.fcm.workload.WorkloadControl.Phase;

/** Every workload, quick, on every real FCM: it does what it planned, verifies what it reads, and leaves nothing behind. */
class WorkloadsTest extends WorkloadTesting {

    static Stream<Object[]> runs() {
        return everyWorkloadOnEveryFcm();
    }

    @ParameterizedTest(name = "{0} on the {1} FCM")
    @MethodSource("runs")
    void runsToItsPlanAndLeavesNothingBehind(String name, Fcms fcms) throws IOException {
        RecordingOpener opener = opener(fcms);
        WorkloadControl control = new WorkloadControl();
        Workload workload = quick(name);

        WorkloadResult result = workload.run(opener, scratch, control);

        assertThat(result.name()).isEqualTo(name);
        assertThat(result.operations()).isEqualTo(plannedOps(name)).isEqualTo(control.operations());
        assertThat(control.planned()).isEqualTo(plannedOps(name));
        assertThat(control.phase()).isEqualTo(Phase.DONE);
        assertThat(result.stopped()).isFalse();
        assertThat(result.elapsedNanos()).isPositive();
        assertThat(result.bytesRead()).as("bytes read (and verified)").isPositive();
        assertThat(result.hits() + result.misses()).as("page lookups of the caches").isPositive();
        assertThat(opener.opened()).as("caches opened").isPositive();
        assertNothingLeftBehind(opener);
    }

    @Test
    void postmarkCountsItsBytesAndIsReproducible() throws IOException {
        Workload workload = Workloads.postmark(PostmarkParameters.quick());
        WorkloadResult first = workload.run(opener(Fcms.SHARED), scratch, new WorkloadControl());
        WorkloadResult second = workload.run(opener(Fcms.REPLICATED), scratch, new WorkloadControl());
        WorkloadResult otherSeed = Workloads.postmark(PostmarkParameters.quick().withSeed(7))
                .run(opener(Fcms.SHARED), scratch, new WorkloadControl());

        assertThat(first.bytesWritten()).as("at least the files created before the transactions")
                .isGreaterThanOrEqualTo(100L * 128);
        assertThat(second.bytesRead()).as("same seed, same reads").isEqualTo(first.bytesRead());
        assertThat(second.bytesWritten()).as("same seed, same writes").isEqualTo(first.bytesWritten());
        assertThat(otherSeed.bytesWritten()).as("another seed, other writes").isNotEqualTo(first.bytesWritten());
    }

    @Test
    void streamReadsEveryPageOfEveryFileEachPass() throws IOException {
        StreamParameters p = StreamParameters.quick().withStreams(2).withFileSize(100_000).withPasses(3);
        RecordingOpener opener = opener(Fcms.MRU);

        WorkloadResult result = Workloads.stream(p).run(opener, scratch, new WorkloadControl());

        long pages = (100_000 + FileCacheManager.PAGE_SIZE - 1) / FileCacheManager.PAGE_SIZE;
        assertThat(result.operations()).isEqualTo(2 * 3 * pages);
        assertThat(result.bytesRead()).as("every pass, plus the first page of each file when warmed")
                .isEqualTo(2 * 3 * 100_000L + 2 * FileCacheManager.PAGE_SIZE);
        assertThat(opener.opened()).isEqualTo(2);
        assertNothingLeftBehind(opener);
    }

    @Test
    void mixedReportsSdetAsItsHeadlineAndBothParts() throws IOException {
        RecordingOpener opener = opener(Fcms.SHARED);

        WorkloadResult result = Workloads.mixed(MixedParameters.quick()).run(opener, scratch, new WorkloadControl());

        assertThat(result.parts()).extracting(WorkloadResult::name).containsExactly("sdet", "stream");
        WorkloadResult sdet = result.parts().get(0);
        WorkloadResult stream = result.parts().get(1);
        assertThat(result.operations()).isEqualTo(sdet.operations()).isEqualTo(plannedOps(Workloads.SDET));
        assertThat(result.elapsedNanos()).isEqualTo(sdet.elapsedNanos());
        assertThat(result.bytesRead()).isEqualTo(sdet.bytesRead() + stream.bytesRead());
        assertThat(result.hits() + result.misses()).isEqualTo(sdet.hits() + sdet.misses() + stream.hits() + stream.misses());
        assertThat(stream.stopped()).isFalse();
        assertThat(result.toString()).doesNotContain("\n").contains("sdet+stream: ", "[sdet: ", "; stream: ");
        assertNothingLeftBehind(opener);
    }

    @Test
    void workloadsByNameDescribeTheirParameters() {
        assertThat(Workloads.named("postmark", false).describe())
                .isEqualTo("postmark files=1000 minSize=128 maxSize=8192 transactions=10000 readBias=5 createBias=5 seed=42");
        assertThat(Workloads.named("sdet", false).describe())
                .isEqualTo("sdet scripts=4 files=64 minSize=4096 maxSize=65536 commands=2000 seed=42");
        assertThat(Workloads.named("stream", false).describe()).isEqualTo("stream streams=1 fileSize=16777216 passes=1 seed=42");
        assertThat(Workloads.named("sdet+stream", true).describe()).startsWith("sdet+stream sdet: scripts=2 ");
        assertThat(Workloads.names()).containsExactly("postmark", "sdet", "stream", "sdet+stream");
        assertThatThrownBy(() -> Workloads.named("dbench", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dbench").hasMessageContaining("postmark");
    }
}

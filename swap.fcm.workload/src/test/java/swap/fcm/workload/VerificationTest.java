package swap.fcm.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import swap.fcm.FileCacheManager;

/** The workloads as correctness checks: a wrong byte from a cache fails the run, naming file and offset; SDET shares its caches between threads. */
class VerificationTest extends WorkloadTesting {

    /** A cache that returns one wrong byte: at file offset 5000 of files larger than that, or at offset 0 of the rest. */
    private static FileCacheManager corrupting(FileCacheManager fcm) {
        return new ForwardingFcm(fcm) {
            @Override
            public int read(long position, byte[] buffer, int offset, int length) throws IOException {
                int n = target.read(position, buffer, offset, length);
                long bad = target.size() > 5000 ? 5000 : 0;
                if (n > 0 && position <= bad && bad < position + n) {
                    buffer[offset + (int) (bad - position)] ^= 0x40;
                }
                return n;
            }
        };
    }

    static Stream<String> names() {
        return Workloads.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void aWrongByteFailsTheRunNamingFileAndOffsetAndTheRunStillCleansUp(String name) throws IOException {
        RecordingOpener opener = opener(Fcms.SHARED).wrapping(VerificationTest::corrupting);

        ContentMismatchException e = catchThrowableOfType(ContentMismatchException.class,
                () -> quick(name).run(opener, scratch, new WorkloadControl()));

        assertThat(e).as("the run's failure").isNotNull();
        assertThat(e.offset()).isIn(0L, 5000L);
        assertThat(e.file().getFileName().toString()).matches("(postmark|sdet|stream)-\\d+");
        assertThat(e).hasMessageContaining(e.file().toString()).hasMessageContaining("at offset " + e.offset())
                .hasMessageContaining("expected 0x");
        assertNothingLeftBehind(opener);
    }

    /** Several script threads use one shared file's cache (what the replicated FCM is for). */
    @Test
    void sdetScriptsShareEachFilesCache() throws IOException {
        Map<String, Set<Thread>> readers = new ConcurrentHashMap<>();
        RecordingOpener opener = opener(Fcms.REPLICATED).wrapping(fcm -> new ForwardingFcm(fcm) {
            @Override
            public int read(long position, byte[] buffer, int offset, int length) throws IOException {
                readers.computeIfAbsent(target.file().getFileName().toString(), k -> ConcurrentHashMap.newKeySet())
                        .add(Thread.currentThread());
                return target.read(position, buffer, offset, length);
            }
        });
        SdetParameters p = SdetParameters.quick().withScripts(3);

        Workloads.sdet(p).run(opener, scratch, new WorkloadControl());

        assertThat(opener.opened()).as("one cache per shared file and per script").isEqualTo(p.files() + p.scripts());
        assertThat(readers.entrySet()).filteredOn(e -> e.getKey().matches("sdet-\\d+"))
                .as("shared files read by the preparing thread and at least two scripts")
                .anySatisfy(e -> assertThat(e.getValue()).hasSizeGreaterThanOrEqualTo(3));
        assertNothingLeftBehind(opener);
    }

    /** Postmark under a pool far smaller than its files: idle caches are released and reopened, every read still verifies. */
    @Test
    void postmarkReleasesIdleCachesWhenTheFramePoolRunsDry() throws IOException {
        pool = swap.fcm.FileCaches.newFramePool(8);
        RecordingOpener opener = opener(Fcms.SHARED);
        PostmarkParameters p = PostmarkParameters.quick();

        WorkloadResult result = Workloads.postmark(p).run(opener, scratch, new WorkloadControl());

        assertThat(result.operations()).isEqualTo(p.transactions());
        assertThat(opener.maxOpen()).as("caches open at once under a budget of 8 frames").isLessThan(p.files());
        assertNothingLeftBehind(opener);
    }
}

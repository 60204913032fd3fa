package swap.fcm.mru.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.shared.internal.SharedFcmFactory;

/**
 * What the MRU FCM is for, shown side by side in one run: a file cache with a hot working set it
 * re-reads shares a small pool with a stream over a file several times larger than the pool.
 * With the MRU FCM as the streamer, the hot set stays resident (after its first round every
 * re-read is a hit); with the shared (LRU) FCM as the streamer, the stream takes every free frame,
 * the hot cache cannot keep its working set and its own replacement evicts its hot pages round
 * after round.
 *
 * <p>How the stream hurts: the LRU streamer takes a new frame for every page while there is a
 * free one, and the pool keeps some free by asking both caches for frames in proportion to what
 * they hold ({@link FramePool#freeTarget()}); so the streamer takes frames the hot cache gives
 * back, and the hot cache's working set, larger than the frames it keeps, thrashes in its own LRU.
 * The MRU streamer reuses its own frames within its window and takes none. Both caches' accesses
 * interleave page by page, as two threads on one processor would.
 */
class MruPolicyTest {

    private static final int PAGE = FileCacheManager.PAGE_SIZE;
    private static final int BUDGET = 40;
    private static final int HOT_PAGES = 20;
    private static final int STREAM_PAGES = 5 * BUDGET;
    private static final int STREAM_PAGES_PER_HOT_PAGE = 4;
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    /** The hot cache's counters after its first round (its working set then read {@code ROUNDS - 1} more times). */
    private record Run(FcmStatistics hotAfterWarmUp, FcmStatistics streamer) {
    }

    private Run run(Function<FramePool, FileCacheManager> streamerFactory) throws IOException {
        FramePool pool = FileCaches.newFramePool(BUDGET);
        byte[] hotContent = bytes(1, HOT_PAGES * PAGE);
        byte[] streamContent = bytes(2, STREAM_PAGES * PAGE);
        Path hotFile = Files.write(dir.resolve("hot-" + System.nanoTime()), hotContent);
        Path streamFile = Files.write(dir.resolve("stream-" + System.nanoTime()), streamContent);
        FileCacheManager hot = FileCaches.open(new SharedFcmFactory(pool).create(), hotFile, Mode.READ_ONLY);
        FileCacheManager streamer = FileCaches.open(streamerFactory.apply(pool), streamFile, Mode.READ_ONLY);
        try {
            FcmStatistics warm = null;
            long streamPage = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int p = 0; p < HOT_PAGES; p++) {
                    assertThat(read(hot, (long) p * PAGE)).isEqualTo(Arrays.copyOfRange(hotContent, p * PAGE, (p + 1) * PAGE));
                    for (int s = 0; s < STREAM_PAGES_PER_HOT_PAGE; s++, streamPage = (streamPage + 1) % STREAM_PAGES) {
                        int at = (int) streamPage * PAGE;
                        assertThat(read(streamer, at)).isEqualTo(Arrays.copyOfRange(streamContent, at, at + PAGE));
                    }
                    assertThat(pool.inUse()).as("frame accounting").isLessThanOrEqualTo(BUDGET);
                }
                if (round == 0) {
                    warm = hot.statistics();
                }
            }
            // exact once the pool's last pass (on its own thread) has ended
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pool.inUse()).as("frame accounting")
                    .isEqualTo(hot.statistics().framesHeld + streamer.statistics().framesHeld));
            FcmStatistics end = hot.statistics();
            FcmStatistics afterWarmUp = new FcmStatistics();
            afterWarmUp.hits = end.hits - warm.hits;
            afterWarmUp.misses = end.misses - warm.misses;
            afterWarmUp.evictions = end.evictions - warm.evictions;
            afterWarmUp.framesHeld = end.framesHeld;
            return new Run(afterWarmUp, streamer.statistics());
        } finally {
            hot.close();
            streamer.close();
            assertThat(pool.inUse()).isZero();
            assertThat(pool.openAccounts()).isZero();
        }
    }

    @Test
    void anMruStreamerLeavesAnotherCachesHotPagesResidentWhereAnLruStreamerEvictsThem() throws IOException {
        Run mru = run(pool -> new MruFcmFactory(pool).create());
        Run lru = run(pool -> new SharedFcmFactory(pool).create());
        long reReads = (long) (ROUNDS - 1) * HOT_PAGES;

        assertThat(mru.hotAfterWarmUp.hits).as("MRU streamer: every re-read of the hot set hits (%s)", mru.hotAfterWarmUp)
                .isEqualTo(reReads);
        assertThat(mru.hotAfterWarmUp.misses).isZero();
        assertThat(mru.hotAfterWarmUp.evictions).isZero();
        assertThat(mru.hotAfterWarmUp.framesHeld).as("the whole hot set resident").isEqualTo(HOT_PAGES);
        assertThat(mru.streamer.framesHeld).as("the MRU streamer kept to its window").isLessThanOrEqualTo(MruFcm.DEFAULT_WINDOW);

        assertThat(lru.hotAfterWarmUp.hitRatio()).as("LRU streamer: the hot set thrashes (%s)", lru.hotAfterWarmUp)
                .isLessThan(0.5);
        assertThat(lru.hotAfterWarmUp.evictions).as("hot pages evicted").isGreaterThan(0);
        assertThat(lru.hotAfterWarmUp.framesHeld).as("the hot cache got fewer frames than its working set").isLessThan(HOT_PAGES);
        assertThat(lru.streamer.framesHeld).as("the LRU streamer grew past the MRU one's window")
                .isGreaterThan(MruFcm.DEFAULT_WINDOW);
    }

    private static byte[] read(FileCacheManager fcm, long position) throws IOException {
        byte[] b = new byte[PAGE];
        assertThat(fcm.read(position, b, 0, PAGE)).isEqualTo(PAGE);
        return b;
    }

    private static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}

package swap.fcm.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.hotswap.SwapResult;
import swap.ott.Entry;
import swap.policy.SwapPolicy;

class SequentialPolicyTest extends PolicyFixture {

    private SequentialPolicy policy() {
        return on(new SequentialPolicy(board, SequentialPolicy.Settings.defaults()));
    }

    /** Reads pages {@code from} to {@code to} (exclusive) in order, checking each. */
    private static void readPages(Entry<FileCacheManager> entry, byte[] content, int from, int to) throws IOException {
        for (int page = from; page < to; page++) {
            readPage(entry, content, page);
        }
    }

    /**
     * Thousands of caches opened and closed one after the other (Postmark): the policy and the
     * switchboard drop what they kept for removed entries as they go, keeping at most about
     * twice the live ones, and the policy still watches each live entry.
     */
    @Test
    void entriesMadeAndRemovedByTheThousandLeaveBoundedBookkeeping() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> live = open("live", 1);
        for (int i = 0; i < 2000; i++) {
            Entry<FileCacheManager> e = board.create(FileCacheManager.class, FcmProperties.optimizedFor(FcmProperties.EXCLUSIVE));
            e.remove();
            assertThat(policy.monitorsKept()).as("monitors kept after %d removed entries", i + 1).isLessThanOrEqualTo(64);
            assertThat(board.entriesKept()).as("entries kept after %d removed entries", i + 1).isLessThanOrEqualTo(64);
        }
        assertThat(policy.watching()).containsExactly(live.id());
    }

    @Test
    void moreThanTwentySequentialPagesMoveToMruAndMoreThanTenRandomOnesBack() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("stream", 200);
        byte[] content = content("stream", 200);

        readPages(entry, content, 0, 20);
        settle(policy);
        assertThat(characteristic(entry)).as("20 sequential pages are not more than 20").isEqualTo(FcmProperties.EXCLUSIVE);

        readPage(entry, content, 20);
        settle(policy);
        assertThat(characteristic(entry)).as("the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
        SwapResult toMru = last(entry.history());
        assertThat(toMru.committed()).isTrue();
        assertThat(toMru.reason).isEqualTo(SwapPolicy.REASON_PREFIX + "fcm.sequential: 21 sequential pages (more than 20)");
        assertThat(toMru.to).isEqualTo(swap.fcm.mru.internal.MruFcm.class.getName());

        int[] scattered = {150, 3, 90, 41, 177, 12, 60, 133, 7, 100};
        for (int page : scattered) {
            readPage(entry, content, page);
        }
        settle(policy);
        assertThat(characteristic(entry)).as("10 non-sequential pages are not more than 10").isEqualTo(FcmProperties.SEQUENTIAL);
        readPage(entry, content, 70);
        settle(policy);
        assertThat(characteristic(entry)).as("the move back to the default FCM").isEqualTo(FcmProperties.EXCLUSIVE);
        assertThat(last(entry.history()).reason).isEqualTo("policy fcm.sequential: 11 non-sequential pages (more than 10)");
        assertThat(policy.swaps()).isEqualTo(2);

        readPages(entry, content, 0, 200); // every byte still right after two swaps
    }

    @Test
    void aFileSmallerThanMinFilePagesIsReadWholeAgainAndNeverMoves() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("small", 40); // re-read whole, as SDET's scripts do
        byte[] content = content("small", 40);
        for (int pass = 0; pass < 3; pass++) {
            readPages(entry, content, 0, 40);
        }
        settle(policy);
        assertThat(entry.history()).as("40 pages < min.file.pages 64").isEmpty();
        assertThat(entry.stub().statistics().misses).as("every page read once from disk, then hits").isEqualTo(40);
        assertThat(policy.requests()).as("the policy thread was asked once; it found the file small, and no pass asked again")
                .isEqualTo(1);
    }

    @Test
    void aSmallFileThatGrowsPastItsOldSizeIsAskedAboutAgainAndStreams() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("growing", 30);
        byte[] content = content("growing", 30);
        for (int pass = 0; pass < 2; pass++) {
            readPages(entry, content, 0, 30);
            settle(policy);
        }
        assertThat(policy.requests()).as("asked once: 30 pages are fewer than 64").isEqualTo(1);

        byte[] more = content("more", 50);
        entry.stub().write(30L * FileCacheManager.PAGE_SIZE, more, 0, more.length); // pages 30..79, in order after page 29
        settle(policy);
        assertThat(policy.requests()).as("asked again once the stream went past page 29").isEqualTo(2);
        assertThat(characteristic(entry)).as("80 pages: the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
        assertThat(last(entry.history()).reason).contains("sequential pages");
    }

    @Test
    void aRandomPageResetsTheSequentialRun() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("runs", 100);
        byte[] content = content("runs", 100);
        for (int run = 0; run < 4; run++) {
            for (int page = 0; page < 15; page++) {
                readPage(entry, content, 50 + page);
            }
            readPage(entry, content, 2); // out of order: the count starts again
        }
        settle(policy);
        assertThat(characteristic(entry)).isEqualTo(FcmProperties.EXCLUSIVE);
        assertThat(entry.history()).isEmpty();
    }

    @Test
    void oneLargeSequentialWriteCountsEveryPage() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("big", 1);
        byte[] data = content("data", 80);
        entry.stub().write(0, data, 0, data.length);
        settle(policy);
        assertThat(characteristic(entry)).as("the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
        assertThat(last(entry.history()).reason).contains("80 sequential pages");
        byte[] back = new byte[data.length];
        assertThat(entry.stub().read(0, back, 0, back.length)).isEqualTo(data.length);
        assertThat(back).isEqualTo(data);
        settle(policy);
        assertThat(characteristic(entry)).as("one read of the whole file from its start is one jump and a run, not 80 random pages")
                .isEqualTo(FcmProperties.SEQUENTIAL);
        assertThat(policy.swaps()).isEqualTo(1);
    }

    @Test
    void largeRequestsThatEachJumpCountOneOutOfOrderPageEach() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("jumps", 200);
        byte[] content = content("jumps", 200);
        readPages(entry, content, 0, 21);
        settle(policy);
        assertThat(characteristic(entry)).isEqualTo(FcmProperties.SEQUENTIAL);
        byte[] three = new byte[3 * FileCacheManager.PAGE_SIZE];
        long[] starts = {150, 40, 100, 10, 170, 60, 120, 80, 30, 140}; // 10 jumps of 3 pages each
        for (long start : starts) {
            entry.stub().read(start * FileCacheManager.PAGE_SIZE, three, 0, three.length);
        }
        settle(policy);
        assertThat(characteristic(entry)).as("10 jumps are not more than 10 out-of-order pages").isEqualTo(FcmProperties.SEQUENTIAL);
        entry.stub().read(5L * FileCacheManager.PAGE_SIZE, three, 0, three.length);
        settle(policy);
        assertThat(characteristic(entry)).as("the 11th jump: back to the default FCM").isEqualTo(FcmProperties.EXCLUSIVE);
        assertThat(last(entry.history()).reason).isEqualTo("policy fcm.sequential: 11 non-sequential pages (more than 10)");
    }

    @Test
    void offDetachesItsMonitorsAndSwapsNothingOnAgainWatchesLiveInstances() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("toggle", 64);
        byte[] content = content("toggle", 64);
        assertThat(policy.watching()).containsExactly(entry.id());
        assertThat(entry.snapshot().wrappers).containsExactly("policy fcm.sequential");

        policy.setEnabled(false);
        assertThat(policy.isEnabled()).isFalse();
        assertThat(policy.watching()).isEmpty();
        assertThat(entry.snapshot().wrappers).isEmpty();
        readPages(entry, content, 0, 40);
        settle(policy);
        assertThat(entry.history()).as("no swap while off").isEmpty();

        policy.setEnabled(true);
        assertThat(policy.watching()).as("the live instance is watched again").containsExactly(entry.id());
        readPages(entry, content, 40, 62);
        settle(policy);
        assertThat(characteristic(entry)).as("the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
    }

    @Test
    void removedEntriesAreForgottenAndOffStillWorks() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> gone = open("gone", 4);
        Entry<FileCacheManager> kept = open("kept", 4);
        gone.stub().close();
        gone.remove();
        opened.remove(gone);
        assertThat(policy.watching()).containsExactly(kept.id());
        policy.setEnabled(false);
        assertThat(kept.snapshot().wrappers).isEmpty();
    }

    @Test
    void anInstanceAlreadyOnTheTargetIsNotSwappedAgain() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("moved", 64);
        byte[] content = content("moved", 64);
        board.swap(entry, FcmProperties.optimizedFor(FcmProperties.SEQUENTIAL), swap.hotswap.SwapOptions.defaults(), "operator");
        readPages(entry, content, 0, 30);
        settle(policy);
        assertThat(entry.history()).extracting(r -> r.reason).containsExactly("operator");
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SequentialPolicy.Settings(0, 10, 64, "(a=b)", "(c=d)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("policy setting sequential.pages must be at least 1, not 0");
        assertThatThrownBy(() -> new SequentialPolicy.Settings(20, -1, 64, "(a=b)", "(c=d)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("random.pages");
        assertThatThrownBy(() -> new SequentialPolicy.Settings(20, 10, 64, "(a=b", "(c=d)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("policy setting stream.filter: malformed filter (a=b");
    }

    private static SwapResult last(List<SwapResult> history) {
        assertThat(history).isNotEmpty();
        return history.get(history.size() - 1);
    }
}

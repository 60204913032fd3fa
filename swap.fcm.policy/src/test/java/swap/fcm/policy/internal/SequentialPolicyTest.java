package swap.fcm.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProperties;
import swap.fcm.FileCacheManager;
import swap.hotswap.SwapOptions;
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

    /** Reads {@link SequentialPolicy#REST_AFTER_CALLS} pages, one call each, in passes over the first {@code pages}, and lets the policy thread catch up. */
    private static void callsToRest(SequentialPolicy policy, Entry<FileCacheManager> entry, byte[] content, int pages) throws Exception {
        for (int i = 0; i < SequentialPolicy.REST_AFTER_CALLS; i++) {
            readPage(entry, content, i % pages);
        }
        settle(policy);
    }

    /**
     * Thousands of caches opened and closed one after the other (Postmark): the policy and the
     * switchboard drop what they kept for removed entries as they go, keeping at most about
     * twice the live ones, and the policy still watches each live entry.
     */
    @Test
    void entriesMadeAndRemovedByTheThousandLeaveBoundedBookkeeping() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> live = open("live", 64);
        for (int i = 0; i < 2000; i++) {
            Entry<FileCacheManager> e = board.create(FileCacheManager.class, FcmProperties.optimizedFor(FcmProperties.EXCLUSIVE));
            e.remove();
            assertThat(policy.monitorsKept()).as("monitors kept after %d removed entries", i + 1).isLessThanOrEqualTo(64);
            assertThat(board.entriesKept()).as("entries kept after %d removed entries", i + 1).isLessThanOrEqualTo(64);
        }
        settle(policy);
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

    /**
     * A file smaller than min.file.pages could never move: it gets no monitor (the interposer never
     * runs on its calls), and the file read whole again and again (SDET) asks the policy thread
     * nothing.
     */
    @Test
    void aFileSmallerThanMinFilePagesGetsNoMonitorAndNeverMoves() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("small", 40); // re-read whole, as SDET's scripts do
        byte[] content = content("small", 40);
        assertThat(policy.watching()).as("40 pages < min.file.pages 64").isEmpty();
        assertThat(policy.resting()).containsExactly(entry.id());
        assertThat(entry.snapshot().wrappers).isEmpty();
        assertThat(policy.description()).as("what swap:policy list shows").endsWith("; unwatched (too small to stream): 1");
        for (int pass = 0; pass < 3; pass++) {
            readPages(entry, content, 0, 40);
        }
        settle(policy);
        assertThat(entry.history()).isEmpty();
        assertThat(entry.stub().statistics().misses).as("every page read once from disk, then hits").isEqualTo(40);
        assertThat(policy.requests()).as("no swap asked for").isZero();
        assertThat(policy.rests()).as("nothing to detach").isZero();
    }

    /** Settings as the defaults, with another min.file.pages. */
    private static SequentialPolicy.Settings minFilePages(int pages) {
        SequentialPolicy.Settings d = SequentialPolicy.Settings.defaults();
        return new SequentialPolicy.Settings(d.sequentialPages(), d.randomPages(), pages, d.stream(), d.fallback());
    }

    /**
     * A monitor on a file that has become too small to stream (min.file.pages raised) rests once
     * it has recorded REST_AFTER_CALLS calls.
     */
    @Test
    void aMonitorOnAFileNowTooSmallRestsAfterItsCalls() throws Exception {
        SequentialPolicy policy = on(new SequentialPolicy(board, minFilePages(0)));
        Entry<FileCacheManager> entry = open("small", 40);
        byte[] content = content("small", 40);
        assertThat(policy.watching()).as("min.file.pages 0: watched").containsExactly(entry.id());
        policy.setSettings(SequentialPolicy.Settings.defaults());
        for (int i = 0; i < SequentialPolicy.REST_AFTER_CALLS - 1; i++) {
            readPage(entry, content, i % 40);
        }
        settle(policy);
        assertThat(policy.watching()).as("one call short of REST_AFTER_CALLS: still watched").containsExactly(entry.id());
        assertThat(policy.requests()).as("the policy thread was asked once (21 sequential pages); it found the file small").isEqualTo(1);
        readPage(entry, content, (SequentialPolicy.REST_AFTER_CALLS - 1) % 40);
        settle(policy);
        assertThat(policy.watching()).as("40 pages < min.file.pages 64: the monitor rests").isEmpty();
        assertThat(policy.resting()).containsExactly(entry.id());
        assertThat(entry.snapshot().wrappers).as("the monitor is detached").isEmpty();
        assertThat(policy.rests()).isEqualTo(1);
        readPages(entry, content, 0, 40);
        settle(policy);
        assertThat(entry.history()).isEmpty();
        assertThat(policy.requests()).as("no swap asked for since").isEqualTo(1);
    }

    /**
     * A cache the policy thread first looks at before it is open is looked at again a few
     * milliseconds later, and watched once open and large enough.
     */
    @Test
    void aCacheNotYetOpenWhenFirstLookedAtIsWatchedOnceOpen() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = openSeenBeforeOpen("late", 64);
        await("a monitor on the cache now open", () -> policy.watching().contains(entry.id()),
                () -> "watching " + policy.watching() + ", resting " + policy.resting());
        assertThat(policy.resting()).isEmpty();
        byte[] content = content("late", 64);
        readPages(entry, content, 0, 21);
        settle(policy);
        assertThat(characteristic(entry)).isEqualTo(FcmProperties.SEQUENTIAL);
    }

    /** A small file's cache looked at before it was open is looked at again once open, and rests with no monitor. */
    @Test
    void aSmallFileSeenBeforeItsCacheWasOpenRestsOnceOpen() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = openSeenBeforeOpen("small", 8);
        await("the cache judged once open", () -> policy.resting().contains(entry.id()),
                () -> "watching " + policy.watching() + ", resting " + policy.resting());
        assertThat(policy.watching()).isEmpty();
        assertThat(entry.snapshot().wrappers).isEmpty();
        assertThat(policy.rests()).as("no monitor to detach").isZero();
    }

    /** A large file's monitor asks whether to rest, and stays. */
    @Test
    void aLargeFilesMonitorStaysAttached() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("large", 64);
        byte[] content = content("large", 64);
        for (int i = 0; i < 2 * SequentialPolicy.REST_AFTER_CALLS; i++) {
            readPage(entry, content, (i * 7) % 64); // out of order: no stream
        }
        settle(policy);
        assertThat(policy.watching()).containsExactly(entry.id());
        assertThat(policy.resting()).isEmpty();
        assertThat(entry.snapshot().wrappers).containsExactly("policy " + SequentialPolicy.NAME);
    }

    /**
     * A resting file that grows to min.file.pages gets a monitor again (the policy thread looks
     * every WAKE_MILLIS), and a stream over it then moves it to the streaming FCM.
     */
    @Test
    void aRestingFileThatGrowsToMinFilePagesIsWatchedAgainAndStreams() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("growing", 30);
        byte[] content = content("growing", 30);
        assertThat(policy.resting()).containsExactly(entry.id());

        byte[] more = content("more", 50);
        entry.stub().write(30L * FileCacheManager.PAGE_SIZE, more, 0, more.length); // pages 30..79: 80 pages
        await("a monitor on the grown file", () -> policy.watching().contains(entry.id()),
                () -> "watching " + policy.watching() + ", resting " + policy.resting());
        assertThat(policy.resting()).isEmpty();
        assertThat(characteristic(entry)).as("the write was not watched").isEqualTo(FcmProperties.EXCLUSIVE);

        readPages(entry, content, 0, 21);
        settle(policy);
        assertThat(characteristic(entry)).as("21 sequential pages of 80: the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
        assertThat(last(entry.history()).reason).contains("21 sequential pages");
        assertThat(policy.watching()).as("on the streaming FCM it stays watched, to move back").containsExactly(entry.id());
    }

    /** A small file an operator moved to the streaming FCM is watched again, so that random reads move it back. */
    @Test
    void aRestingFileMovedToTheStreamingFcmIsWatchedAgainAndMovesBack() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("pinned", 30);
        byte[] content = content("pinned", 30);
        assertThat(policy.resting()).containsExactly(entry.id());

        board.swap(entry, FcmProperties.optimizedFor(FcmProperties.SEQUENTIAL), SwapOptions.defaults(), "operator");
        await("a monitor on the file now on the streaming FCM", () -> policy.watching().contains(entry.id()),
                () -> "watching " + policy.watching() + ", resting " + policy.resting());
        int[] scattered = {20, 3, 17, 8, 25, 12, 1, 28, 6, 14, 22};
        for (int page : scattered) {
            readPage(entry, content, page);
        }
        settle(policy);
        assertThat(characteristic(entry)).as("11 non-sequential pages: back to the default FCM").isEqualTo(FcmProperties.EXCLUSIVE);
        assertThat(last(entry.history()).reason).isEqualTo("policy fcm.sequential: 11 non-sequential pages (more than 10)");
    }

    /** Off forgets the resting entries; on again looks at every live entry afresh. */
    @Test
    void offAndOnAgainWatchesTheRestingEntriesAfresh() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> entry = open("small", 10);
        Entry<FileCacheManager> large = open("large", 64);
        assertThat(policy.resting()).containsExactly(entry.id());

        policy.setEnabled(false);
        assertThat(policy.resting()).isEmpty();
        assertThat(policy.watching()).isEmpty();
        policy.setEnabled(true);
        settle(policy);
        assertThat(policy.resting()).containsExactly(entry.id());
        assertThat(policy.watching()).containsExactly(large.id());
        assertThat(entry.snapshot().wrappers).isEmpty();
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
        Entry<FileCacheManager> entry = open("big", 64); // watched from the start (min.file.pages)
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
        settle(policy);
        assertThat(policy.watching()).as("the live instance is watched again").containsExactly(entry.id());
        readPages(entry, content, 40, 62);
        settle(policy);
        assertThat(characteristic(entry)).as("the move to the streaming FCM").isEqualTo(FcmProperties.SEQUENTIAL);
    }

    @Test
    void removedEntriesAreForgottenAndOffStillWorks() throws Exception {
        SequentialPolicy policy = policy();
        Entry<FileCacheManager> gone = open("gone", 64);
        Entry<FileCacheManager> kept = open("kept", 64);
        gone.stub().close();
        gone.remove();
        opened.remove(gone);
        assertThat(policy.watching()).containsExactly(kept.id());
        policy.setEnabled(false);
        assertThat(kept.snapshot().wrappers).isEmpty();
    }

    /**
     * A rest asked for by a monitor that the policy replaced meanwhile (switched off and on before
     * its thread got to the request) leaves the new monitor attached and watched.
     */
    @Test
    void aRestAskedBeforeOffAndOnLeavesTheNewMonitorAlone() throws Exception {
        SequentialPolicy policy = on(new SequentialPolicy(board, minFilePages(0)));
        Entry<FileCacheManager> entry = open("small", 8);
        byte[] content = content("small", 8);
        policy.setSettings(SequentialPolicy.Settings.defaults()); // the monitor stays until it asks
        CountDownLatch gate = new CountDownLatch(1);
        policy.thread.execute(() -> {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < SequentialPolicy.REST_AFTER_CALLS; i++) {
            readPage(entry, content, i % 8); // the old monitor asks to rest; the request waits behind the gate
        }
        policy.setSettings(minFilePages(0));
        policy.setEnabled(false);
        policy.setEnabled(true);
        policy.takeFresh(); // what the gated thread would do: with min.file.pages 0, a new monitor
        policy.setSettings(SequentialPolicy.Settings.defaults()); // the stale request now finds the file too small
        gate.countDown();
        settle(policy);
        assertThat(policy.watching()).containsExactly(entry.id());
        assertThat(policy.resting()).isEmpty();
        assertThat(entry.snapshot().wrappers).containsExactly("policy " + SequentialPolicy.NAME);
        policy.setEnabled(false);
        assertThat(entry.snapshot().wrappers).isEmpty();
    }

    /**
     * Stress: readers on small and large files, the policy switched off and on, and caches opened
     * and removed, all at once. Each time off returns, no file has a monitor attached (a rest in
     * progress included). Afterwards, with the policy on and every file used again, each
     * small file rests with no monitor attached, each large one is watched with exactly one, no
     * entry is both, and every byte read was right.
     */
    @Test
    void restsRacingWithCallsOffOnAndRemovalsLeaveOneMonitorOrNone() throws Exception {
        SequentialPolicy policy = policy();
        List<Entry<FileCacheManager>> small = new ArrayList<>();
        List<Entry<FileCacheManager>> large = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            small.add(open("small" + i, 8));
        }
        for (int i = 0; i < 2; i++) {
            large.add(open("large" + i, 80));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            threads.add(new Thread(() -> {
                Random random = new Random(seed);
                try {
                    while (!stop.get()) {
                        int i = random.nextInt(small.size());
                        readPage(small.get(i), content("small" + i, 8), random.nextInt(8));
                        int j = random.nextInt(large.size());
                        readPage(large.get(j), content("large" + j, 80), random.nextInt(80)); // out of order: stays shared
                        reads.addAndGet(2);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread toggler = new Thread(() -> {
            try {
                String monitor = "policy " + SequentialPolicy.NAME;
                Random random = new Random(7);
                for (int round = 0; round < 100 && failure.get() == null; round++) {
                    policy.setEnabled(false);
                    for (Entry<FileCacheManager> e : opened) {
                        assertThat(e.snapshot().wrappers).as("%s just after off", e.id()).doesNotContain(monitor);
                    }
                    policy.setEnabled(true);
                    // up to a rest's worth of calls before the next off (bounded: the readers must make progress)
                    long until = reads.get() + random.nextInt(2 * SequentialPolicy.REST_AFTER_CALLS);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (reads.get() < until && failure.get() == null) {
                        assertThat(System.nanoTime()).as("the readers made no progress for 10 s").isLessThan(deadline);
                        Thread.yield();
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        threads.add(toggler);
        threads.add(new Thread(() -> {
            try {
                byte[] content = content("churn", 4);
                Files.write(dir.resolve("churn"), content);
                while (!stop.get()) {
                    Entry<FileCacheManager> e = board.create(FileCacheManager.class, FcmProperties.optimizedFor(FcmProperties.EXCLUSIVE));
                    e.stub().open(dir.resolve("churn"), FileCacheManager.Mode.READ_ONLY);
                    for (int k = 0; k < SequentialPolicy.REST_AFTER_CALLS + 8; k++) {
                        readPage(e, content, k % 4);
                    }
                    e.stub().close();
                    e.remove();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }));
        threads.forEach(Thread::start);
        toggler.join(60_000);
        assertThat(toggler.isAlive()).as("100 rounds of off and on within 60 s").isFalse();
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).as("a stress thread still running").isFalse();
        }
        assertThat(failure.get()).as("a stress thread failed").isNull();

        policy.setEnabled(true);
        for (int i = 0; i < small.size(); i++) {
            callsToRest(policy, small.get(i), content("small" + i, 8), 8);
        }
        for (int j = 0; j < large.size(); j++) {
            callsToRest(policy, large.get(j), content("large" + j, 80), 80);
        }
        String monitor = "policy " + SequentialPolicy.NAME;
        for (Entry<FileCacheManager> e : small) {
            assertThat(e.snapshot().wrappers).as("small %s", e.id()).doesNotContain(monitor);
        }
        for (Entry<FileCacheManager> e : large) {
            assertThat(e.snapshot().wrappers).as("large %s", e.id()).containsOnlyOnce(monitor).hasSize(1);
        }
        assertThat(policy.resting()).containsExactlyInAnyOrderElementsOf(small.stream().map(Entry::id).toList());
        assertThat(policy.watching()).containsExactlyInAnyOrderElementsOf(large.stream().map(Entry::id).toList());
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

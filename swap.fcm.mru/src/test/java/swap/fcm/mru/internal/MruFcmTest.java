package swap.fcm.mru.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProtocols;
import swap.fcm.FcmState;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.PageDescriptor;
import swap.fcm.contract.FcmContract;
import swap.fcm.shared.internal.SharedFcmFactory;
import swap.transfer.Transferable;

/** The FCM contract on the MRU FCM, called directly; and what is particular to it (its window, drop-behind, its state transfer). */
class MruFcmTest extends FcmContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new MruFcm(pool);
    }

    private MruFcm openMru(Path file, Mode mode, int window) throws IOException {
        MruFcm fcm = new MruFcm(pool, window);
        fcm.open(file, mode);
        return fcm;
    }

    private static List<Long> pagesByRank(FcmState state) {
        return state.pages().stream().sorted(Comparator.comparingInt(PageDescriptor::recency)).map(PageDescriptor::page).toList();
    }

    @Test
    void aReadStreamStaysWithinItsWindowAndLeavesTheRestOfThePoolFree() throws IOException {
        byte[] content = bytes(30, 32 * PAGE);
        MruFcm fcm = openMru(file("a", content), Mode.READ_ONLY, 4);
        for (int p = 0; p < 32; p++) {
            assertThat(read(fcm, (long) p * PAGE, PAGE)).isEqualTo(Arrays.copyOfRange(content, p * PAGE, (p + 1) * PAGE));
            assertThat(fcm.statistics().framesHeld).as("frames after page %d", p).isLessThanOrEqualTo(4);
        }
        FcmStatistics s = fcm.statistics();
        assertThat(s.misses).isEqualTo(32);
        assertThat(s.evictions).isEqualTo(28);
        assertThat(pool.inUse()).as("a budget of %d, and the stream took only its window", pool.budget()).isEqualTo(4);
        fcm.close();
    }

    @Test
    void aWriteStreamWritesBackWhatItDropsAndStaysWithinItsWindow() throws IOException {
        Path path = file("a", new byte[0]);
        MruFcm fcm = openMru(path, Mode.READ_WRITE, 4);
        byte[] data = bytes(31, 40 * PAGE);
        for (int p = 0; p < 40; p++) {
            fcm.write((long) p * PAGE, data, p * PAGE, PAGE);
        }
        FcmStatistics s = fcm.statistics();
        assertThat(s.framesHeld).isEqualTo(4).isEqualTo(pool.inUse());
        assertThat(s.evictions).isEqualTo(36);
        assertThat(s.writeBacks).as("every dropped page was dirty and written back").isEqualTo(36);
        assertThat(Arrays.copyOf(Files.readAllBytes(path), 36 * PAGE)).as("dropped pages are on disk before any flush")
                .isEqualTo(Arrays.copyOf(data, 36 * PAGE));
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
        fcm.close();
    }

    @Test
    void dropsThePagesBehindTheStreamBeforeOlderPagesAheadOfIt() throws IOException {
        MruFcm fcm = openMru(file("a", bytes(32, 8 * PAGE)), Mode.READ_ONLY, 3);
        read(fcm, 6 * PAGE, 1); // a page ahead of the stream, now the least recently used
        read(fcm, 0, 1);
        read(fcm, PAGE, 1); // window full: 6, 0, 1
        read(fcm, 2 * PAGE, 1); // drops page 0, the oldest behind the stream; LRU would drop page 6
        long misses = fcm.statistics().misses;
        read(fcm, 6 * PAGE, 1);
        read(fcm, PAGE, 1);
        read(fcm, 2 * PAGE, 1);
        assertThat(fcm.statistics().misses).as("pages 6, 1 and 2 stayed").isEqualTo(misses);
        read(fcm, 0, 1); // backwards: nothing behind page 0, so the least recently used of all goes (page 6)
        assertThat(fcm.statistics().misses).as("page 0 had been dropped; page 6 goes now").isEqualTo(misses + 1);
        read(fcm, PAGE, 1);
        assertThat(fcm.statistics().misses).as("page 1 stayed").isEqualTo(misses + 1);
        assertThat(fcm.statistics().evictions).isEqualTo(2);
        fcm.close();
    }

    @Test
    void exportsRecencyRanksAndRebuildsTheOrderOnImport() throws Exception {
        MruFcm old = openMru(file("a", bytes(33, 6 * PAGE)), Mode.READ_WRITE, 8);
        read(old, 2 * PAGE, 1);
        write(old, 0, new byte[] {1});
        read(old, 5 * PAGE, 1);
        read(old, 3 * PAGE, 1);
        FcmState state = (FcmState) old.exportState(FcmProtocols.CANONICAL);
        assertThat(pagesByRank(state)).containsExactly(3L, 5L, 0L, 2L);
        assertThat(state.pages()).allSatisfy(d -> assertThat(d.frame().owner()).isSameAs(state.account()));

        List<PageDescriptor> shuffled = new ArrayList<>(state.pages()); // descriptors come in no particular order
        shuffled.sort(Comparator.comparingLong(PageDescriptor::page));
        FcmState given = new FcmState(state.file(), state.mode(), state.channel(), state.size(), state.account(), shuffled);
        MruFcm replacement = new MruFcm(pool, 8);
        replacement.importState(FcmProtocols.CANONICAL, given);
        old.swappedOut();
        assertThat(pagesByRank((FcmState) replacement.exportState(FcmProtocols.CANONICAL))).as("order rebuilt from the ranks")
                .containsExactly(3L, 5L, 0L, 2L);
        assertThat(replacement.statistics().dirtyPages).isEqualTo(1);
        assertThat(pool.inUse()).isEqualTo(4).isEqualTo(replacement.statistics().framesHeld);
        assertThatThrownBy(() -> old.size()).isInstanceOf(IllegalStateException.class).hasMessageContaining("swapped out");
        assertThatThrownBy(() -> replacement.open(Path.of("x"), Mode.READ_ONLY)).isInstanceOf(IllegalStateException.class);
        replacement.close();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.openAccounts()).isZero();
    }

    @Test
    void importRejectsDuplicatePagesAndForeignFramesAndChangesNothing() throws Exception {
        MruFcm old = openMru(file("a", bytes(34, 3 * PAGE)), Mode.READ_ONLY, 8);
        read(old, 0, 3 * PAGE);
        FcmState state = (FcmState) old.exportState(FcmProtocols.CANONICAL);
        List<PageDescriptor> twice = new ArrayList<>(state.pages());
        PageDescriptor first = twice.get(0);
        twice.add(new PageDescriptor(first.page(), twice.get(1).frame(), false, 99));
        MruFcm replacement = new MruFcm(pool, 8);
        assertThatThrownBy(() -> replacement.importState(FcmProtocols.CANONICAL,
                new FcmState(state.file(), state.mode(), state.channel(), state.size(), state.account(), twice)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        FramePool.Account other = pool.openAccount("other");
        FramePool.Frame foreign = other.allocate();
        List<PageDescriptor> withForeign = new ArrayList<>(state.pages());
        withForeign.add(new PageDescriptor(7, foreign, false, 50));
        assertThatThrownBy(() -> replacement.importState(FcmProtocols.CANONICAL,
                new FcmState(state.file(), state.mode(), state.channel(), state.size(), state.account(), withForeign)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not owned");
        other.release(foreign);
        other.close();
        assertThat(old.statistics().framesHeld).isEqualTo(3).isEqualTo(pool.inUse());
        replacement.abandoned();
        old.close();
    }

    /** Property: an MRU FCM that took over a larger cache gives the surplus back at its next miss, dirty pages written first. */
    @Test
    void shrinksToItsWindowAfterTakingOverALargerCache() throws Exception {
        Path path = file("a", bytes(35, 30 * PAGE));
        byte[] model = bytes(35, 30 * PAGE);
        FileCacheManager shared = new SharedFcmFactory(pool).create();
        shared.open(path, Mode.READ_WRITE);
        byte[] data = bytes(36, 10 * PAGE);
        shared.write(0, data, 0, data.length); // pages 0..9 dirty
        System.arraycopy(data, 0, model, 0, data.length);
        read(shared, 10 * PAGE, 10 * PAGE); // pages 10..19 clean
        assertThat(pool.inUse()).isEqualTo(20);

        MruFcm mru = new MruFcm(pool, 4);
        mru.importState(FcmProtocols.CANONICAL, ((Transferable) shared).exportState(FcmProtocols.CANONICAL));
        ((Transferable) shared).swappedOut();
        assertThat(mru.statistics().framesHeld).as("import only records").isEqualTo(20).isEqualTo(pool.inUse());

        assertThat(read(mru, 25 * PAGE, PAGE)).isEqualTo(Arrays.copyOfRange(model, 25 * PAGE, 26 * PAGE));
        FcmStatistics s = mru.statistics();
        assertThat(s.framesHeld).isEqualTo(4).isEqualTo(pool.inUse());
        assertThat(s.evictions).isEqualTo(17);
        assertThat(s.dirtyPages + s.writeBacks).as("no dirty page lost").isEqualTo(10);
        assertThat(read(mru, 0, model.length)).isEqualTo(model);
        mru.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(model);
        mru.close();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void anAbandonedReplacementReleasesNothing() throws Exception {
        MruFcm old = openMru(file("a", bytes(37, 2 * PAGE)), Mode.READ_WRITE, 8);
        read(old, 0, 2 * PAGE);
        MruFcm replacement = new MruFcm(pool);
        replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL));
        replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL)); // a retried try
        replacement.abandoned();
        assertThat(pool.inUse()).isEqualTo(2).isEqualTo(old.statistics().framesHeld);
        assertThat(read(old, 0, 2 * PAGE)).isEqualTo(bytes(37, 2 * PAGE));
        assertThatThrownBy(() -> replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL)))
                .isInstanceOf(IllegalStateException.class);
        old.close();
    }

    @Test
    void aLiveInstanceRefusesImportUnknownProtocolsAndABadWindow() throws Exception {
        MruFcm fcm = openMru(file("a", bytes(38, 10)), Mode.READ_ONLY, 2);
        assertThatThrownBy(() -> fcm.importState(FcmProtocols.CANONICAL, fcm.exportState(FcmProtocols.CANONICAL)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fcm.exportState(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fcm.exportProtocols()).isEqualTo(FcmProtocols.CANONICAL_BIT).isEqualTo(fcm.importProtocols());
        assertThatThrownBy(() -> new MruFcm(pool, 0)).isInstanceOf(IllegalArgumentException.class);
        fcm.close();
    }

    @Test
    void theFactoryMakesUnopenedInstancesWithTheDefaultWindow() throws IOException {
        FileCacheManager fcm = new MruFcmFactory(FileCaches.newFramePool(4)).create();
        assertThat(fcm).isInstanceOf(MruFcm.class);
        assertThat(fcm.isOpen()).isFalse();
        assertThat(((MruFcm) fcm).window()).isEqualTo(MruFcm.DEFAULT_WINDOW);
        fcm.close();
    }
}

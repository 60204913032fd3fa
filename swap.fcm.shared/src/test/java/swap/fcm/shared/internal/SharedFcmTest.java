package swap.fcm.shared.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProtocols;
import swap.fcm.FcmState;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FramePool;
import swap.fcm.PageDescriptor;
import swap.fcm.contract.FcmContract;

/** The FCM contract on the shared FCM, called directly; and what is particular to it (LRU, its state transfer). */
class SharedFcmTest extends FcmContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new SharedFcm(pool);
    }

    @Test
    void evictsTheLeastRecentlyUsedPage() throws IOException {
        pool = newPool(3); // no free target: the test steps each eviction
        FileCacheManager fcm = open(file("a", bytes(20, 4 * PAGE)), Mode.READ_ONLY);
        read(fcm, 0, 1);
        read(fcm, PAGE, 1);
        read(fcm, 2 * PAGE, 1);
        read(fcm, 0, 1); // page 0 is now the most recent; page 1 the least
        read(fcm, 3 * PAGE, 1); // evicts page 1
        long misses = fcm.statistics().misses;
        read(fcm, 0, 1);
        read(fcm, 2 * PAGE, 1);
        read(fcm, 3 * PAGE, 1);
        assertThat(fcm.statistics().misses).as("pages 0, 2 and 3 stayed").isEqualTo(misses);
        read(fcm, PAGE, 1);
        assertThat(fcm.statistics().misses).as("page 1 was evicted").isEqualTo(misses + 1);
        assertThat(fcm.statistics().evictions).isEqualTo(2);
    }

    @Test
    void exportsRecencyRanksAndHandsOverByReference() throws Exception {
        pool = newPool(4);
        SharedFcm old = new SharedFcm(pool); // driven by the test itself, as the framework would
        old.open(file("a", bytes(21, 4 * PAGE)), Mode.READ_WRITE);
        read(old, 2 * PAGE, 1);
        write(old, 0, new byte[] {1});
        read(old, 3 * PAGE, 1);

        FcmState state = (FcmState) old.exportState(FcmProtocols.CANONICAL);
        List<PageDescriptor> byRank = state.pages().stream().sorted(Comparator.comparingInt(PageDescriptor::recency)).toList();
        assertThat(byRank).extracting(PageDescriptor::page).containsExactly(3L, 0L, 2L);
        assertThat(byRank).extracting(PageDescriptor::dirty).containsExactly(false, true, false);
        assertThat(byRank).allSatisfy(d -> assertThat(d.frame().owner()).isSameAs(state.account()));
        assertThat(old.read(0, new byte[1], 0, 1)).as("export changes nothing: the old instance still serves").isEqualTo(1);

        SharedFcm replacement = new SharedFcm(pool);
        replacement.importState(FcmProtocols.CANONICAL, state);
        old.swappedOut();
        assertThatThrownBy(() -> old.size()).isInstanceOf(IllegalStateException.class).hasMessageContaining("swapped out");
        assertThat(pool.inUse()).isEqualTo(3).isEqualTo(replacement.statistics().framesHeld);
        assertThat(replacement.statistics().dirtyPages).isEqualTo(1);
        assertThat(replacement.file()).isEqualTo(dir.resolve("a").toAbsolutePath().normalize());
        assertThatThrownBy(() -> replacement.open(Path.of("x"), Mode.READ_ONLY)).isInstanceOf(IllegalStateException.class);
        replacement.close();
        assertThat(pool.inUse()).isZero();
    }

    @Test
    void anAbandonedReplacementReleasesNothing() throws Exception {
        SharedFcm old = new SharedFcm(pool);
        old.open(file("a", bytes(22, 2 * PAGE)), Mode.READ_WRITE);
        read(old, 0, 2 * PAGE);
        SharedFcm replacement = new SharedFcm(pool);
        replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL));
        replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL)); // a retried try
        replacement.abandoned();
        assertThat(pool.inUse()).isEqualTo(2).isEqualTo(old.statistics().framesHeld);
        assertThat(read(old, 0, 2 * PAGE)).isEqualTo(bytes(22, 2 * PAGE));
        assertThatThrownBy(() -> replacement.importState(FcmProtocols.CANONICAL, old.exportState(FcmProtocols.CANONICAL)))
                .isInstanceOf(IllegalStateException.class);
        old.close();
    }

    @Test
    void aLiveInstanceRefusesImportAndUnknownProtocols() throws Exception {
        SharedFcm fcm = new SharedFcm(pool);
        fcm.open(file("a", bytes(23, 10)), Mode.READ_ONLY);
        assertThatThrownBy(() -> fcm.importState(FcmProtocols.CANONICAL, fcm.exportState(FcmProtocols.CANONICAL)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fcm.exportState(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fcm.exportProtocols()).isEqualTo(FcmProtocols.CANONICAL_BIT);
        fcm.close();
    }
}

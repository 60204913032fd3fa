package swap.fcm.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool.Account;
import swap.fcm.FramePool.Frame;

class FramePoolImplTest {

    private static final long BOUND_SECONDS = 30;
    private final FramePoolImpl pool = new FramePoolImpl(3);

    @Test
    void allocatesUpToTheBudgetThenReturnsNull() {
        Account a = pool.openAccount("a");
        Account b = pool.openAccount("b");
        Frame f1 = a.allocate();
        Frame f2 = a.allocate();
        Frame f3 = b.allocate();
        assertThat(b.allocate()).as("budget exhausted").isNull();
        assertThat(pool.inUse()).isEqualTo(3);
        assertThat(a.held()).isEqualTo(2);
        assertThat(b.held()).isEqualTo(1);
        assertThat(f1.buffer().capacity()).isEqualTo(FileCacheManager.PAGE_SIZE);
        assertThat(f1.owner()).isSameAs(a);
        assertThat(f3.owner()).isSameAs(b);
        a.release(f2);
        assertThat(f2.owner()).isNull();
        assertThat(b.allocate()).as("a released frame is reused").isSameAs(f2);
        assertThat(pool.framesMade()).isEqualTo(3);
        a.release(f1);
        b.release(f2);
        b.release(f3);
        a.close();
        b.close();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.openAccounts()).isZero();
    }

    @Test
    void everyFrameIsADirectPageAlignedPageOfItsOwn() {
        FramePoolImpl big = new FramePoolImpl(2 * FramePoolImpl.SLAB_FRAMES + 3, true);
        assertThat(big.directIo()).isTrue();
        assertThat(pool.directIo()).as("off unless asked for").isFalse();
        Account a = big.openAccount("a");
        List<Frame> frames = new ArrayList<>();
        for (Frame f = a.allocate(); f != null; f = a.allocate()) {
            frames.add(f);
        }
        assertThat(frames).hasSize(big.budget());
        for (Frame f : frames) {
            assertThat(f.buffer().isDirect()).isTrue();
            assertThat(f.buffer().alignmentOffset(0, FileCacheManager.PAGE_SIZE)).as("frame %d's address mod the page size", f.index())
                    .isZero();
            assertThat(f.buffer().capacity()).isEqualTo(FileCacheManager.PAGE_SIZE);
            f.buffer().putInt(0, f.index()); // frames do not overlap: each keeps what was written to it
        }
        for (Frame f : frames) {
            assertThat(f.buffer().getInt(0)).isEqualTo(f.index());
            a.release(f);
        }
        a.close();
        assertThat(big.framesMade()).isEqualTo(big.budget());
    }

    @Test
    void releaseByANonOwnerOrTwiceFailsAndChangesNothing() {
        Account a = pool.openAccount("a");
        Account b = pool.openAccount("b");
        Frame f = a.allocate();
        assertThatThrownBy(() -> b.release(f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("owned by account a");
        assertThat(f.owner()).isSameAs(a);
        a.release(f);
        assertThatThrownBy(() -> a.release(f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("released twice");
        assertThat(pool.inUse()).isZero();
        Frame foreign = new FramePoolImpl(1).openAccount("x").allocate();
        assertThatThrownBy(() -> a.release(foreign)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAccountHoldingFramesCannotClose() {
        Account a = pool.openAccount("a");
        Frame f = a.allocate();
        assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("1 frames");
        assertThat(a.isClosed()).isFalse();
        a.release(f);
        a.close();
        a.close();
        assertThatThrownBy(a::allocate).isInstanceOf(IllegalStateException.class);
        assertThat(pool.openAccounts()).isZero();
    }

    @Test
    void aLoweredBudgetTakesEffectAsFramesAreReleased() {
        Account a = pool.openAccount("a");
        List<Frame> frames = new ArrayList<>(List.of(a.allocate(), a.allocate(), a.allocate()));
        pool.setBudget(1);
        a.release(frames.remove(0));
        assertThat(a.allocate()).as("2 in use, budget 1").isNull();
        a.release(frames.remove(0));
        a.release(frames.remove(0));
        assertThat(a.allocate()).isNotNull();
        assertThatThrownBy(() -> pool.setBudget(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Property: threads allocating and releasing concurrently never exceed the budget, never share a frame, and leave the counts at zero. */
    @Test
    void concurrentAllocationsNeverExceedTheBudgetOrShareAFrame() throws Exception {
        FramePoolImpl shared = new FramePoolImpl(8);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Account account = shared.openAccount("t" + t);
                futures.add(threads.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        Frame f = account.allocate();
                        if (f != null) {
                            assertThat(f.owner()).isSameAs(account);
                            assertThat(shared.inUse()).isLessThanOrEqualTo(8);
                            account.release(f);
                        }
                    }
                    account.close();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(BOUND_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(shared.inUse()).isZero();
        assertThat(shared.openAccounts()).isZero();
        assertThat(shared.framesMade()).isLessThanOrEqualTo(8);
        Set<Integer> indexes = new HashSet<>();
        Account check = shared.openAccount("check");
        for (Frame f = check.allocate(); f != null; f = check.allocate()) {
            assertThat(indexes.add(f.index())).as("frame %d handed out once", f.index()).isTrue();
        }
        assertThat(indexes).hasSize(8);
    }
}

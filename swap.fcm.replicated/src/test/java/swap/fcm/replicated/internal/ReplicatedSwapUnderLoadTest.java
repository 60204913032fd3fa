package swap.fcm.replicated.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FcmProtocols;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.contract.FcmContract;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.fcm.shared.internal.SharedFcm;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * Repeated swaps under load through a real Object Translation Table: replicated -> replicated in
 * the by-reference protocol, and back and forth between the shared and the replicated FCM in the
 * canonical one.
 */
class ReplicatedSwapUnderLoadTest {

    private static final int PAGE = FileCacheManager.PAGE_SIZE;
    private static final long BOUND_SECONDS = 30;

    @TempDir
    Path dir;
    private final FramePool pool = FileCaches.newFramePool(8);
    private final TableImpl table = new TableImpl();

    @AfterEach
    void checkPool() {
        table.close();
        assertThat(pool.inUse()).as("frames in use after the cache closed").isZero();
        assertThat(pool.openAccounts()).isZero();
    }

    private static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Property: replicated -> replicated swaps take the by-reference protocol, and lose nothing (see {@link #swapsUnderLoad}). */
    @Test
    void byReferenceSwapsUnderConcurrentLoad() throws Exception {
        table.registerFactory("fcm", FileCacheManager.class, () -> new ReplicatedFcm(pool));
        swapsUnderLoad(30, i -> i % 2 == 0 ? SwapTarget.instance(new ReplicatedFcm(pool)) : SwapTarget.factory("fcm"),
                i -> ReplicatedFcm.REPRESENTATIVES);
    }

    /** Property: shared -> replicated -> shared -> ... swaps (canonical protocol) lose nothing (see {@link #swapsUnderLoad}). */
    @Test
    void sharedAndReplicatedInTurnUnderConcurrentLoad() throws Exception {
        table.registerFactory("fcm", FileCacheManager.class, () -> new SharedFcm(pool));
        swapsUnderLoad(40, i -> SwapTarget.instance(i % 2 == 0 ? new ReplicatedFcm(pool) : new SharedFcm(pool)),
                i -> FcmProtocols.CANONICAL);
        assertThat(table.history()).extracting(r -> r.from.equals(r.to)).as("every swap crosses implementations").containsOnly(false);
    }

    /**
     * While two writers of disjoint regions and a reader of a region nobody writes run through
     * the stub under a budget smaller than the file, {@code swaps} swaps to {@code target(i)}:
     * each negotiates {@code protocol(i)}, readers see the right bytes, writers read back their
     * writes, the marker written before each swap is on disk after a flush that follows it, and
     * the pool's count equals the frames the cache holds; at the end the file holds every last
     * write.
     */
    private void swapsUnderLoad(int swaps, IntFunction<SwapTarget<FileCacheManager>> target, IntUnaryOperator protocol)
            throws Exception {
        int region = 2 * PAGE + 300;
        int stableStart = PAGE;
        int stable = 2 * PAGE;
        int regionsStart = stableStart + stable;
        byte[] original = bytes(6, regionsStart + 2 * region);
        Path path = Files.write(dir.resolve("a"), original);
        Entry<FileCacheManager> entry = table.create("fcm/a", FileCacheManager.class, "fcm");
        FileCacheManager fcm = entry.stub();
        fcm.open(path, Mode.READ_WRITE);
        byte[] expected = original.clone();
        AtomicBoolean swapping = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            Future<?> swapper = threads.submit(() -> {
                try {
                    for (int i = 0; i < swaps; i++) {
                        byte[] marker = bytes(100 + i, 64);
                        fcm.write(10, marker, 0, marker.length);
                        SwapResult result = entry.swap(target.apply(i), SwapOptions.defaults(), "test");
                        assertThat(result.committed()).as("swap %s", result).isTrue();
                        assertThat(result.protocol).as("protocol of swap %s", result).isEqualTo(protocol.applyAsInt(i));
                        assertThat(pool.inUse()).as("frames in use within the budget").isLessThanOrEqualTo(pool.budget());
                        fcm.flush();
                        assertThat(Arrays.copyOfRange(Files.readAllBytes(path), 10, 74)).as("marker %d", i).isEqualTo(marker);
                        synchronized (expected) {
                            System.arraycopy(marker, 0, expected, 10, 64);
                        }
                    }
                } finally {
                    swapping.set(false);
                }
                return null;
            });
            for (int w = 0; w < 2; w++) {
                int start = regionsStart + w * region + 3;
                int length = region - 3;
                int writer = w;
                futures.add(threads.submit(() -> {
                    byte[] last = null;
                    for (int i = 0; swapping.get() || i < 20; i++) {
                        last = bytes(writer * 100_000L + i, length);
                        fcm.write(start, last, 0, length);
                        byte[] back = new byte[length];
                        assertThat(fcm.read(start, back, 0, length)).isEqualTo(length);
                        assertThat(back).as("writer %d round %d", writer, i).isEqualTo(last);
                    }
                    synchronized (expected) {
                        System.arraycopy(last, 0, expected, start, length);
                    }
                    return null;
                }));
            }
            futures.add(threads.submit(() -> {
                byte[] b = new byte[stable];
                while (swapping.get()) {
                    assertThat(fcm.read(stableStart, b, 0, stable)).isEqualTo(stable);
                    assertThat(b).as("the region nobody writes").isEqualTo(Arrays.copyOfRange(original, stableStart, stableStart + stable));
                }
                return null;
            }));
            swapper.get(BOUND_SECONDS, TimeUnit.SECONDS);
            for (Future<?> f : futures) {
                f.get(BOUND_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            swapping.set(false);
            threads.shutdownNow();
            assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("worker threads ended").isTrue();
        }
        assertThat(entry.history()).hasSize(swaps);
        FcmContract.assertFramesMatch(pool, fcm);
        fcm.flush();
        synchronized (expected) {
            assertThat(Files.readAllBytes(path)).isEqualTo(expected);
        }
        fcm.close();
    }
}

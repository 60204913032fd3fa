package swap.fcm.replicated.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import swap.fcm.FcmProtocols;
import swap.fcm.FcmState;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FramePool;
import swap.fcm.PageDescriptor;
import swap.fcm.contract.FcmContract;

/** The FCM contract on the replicated FCM, called directly; and what is particular to it (representatives, its protocols). */
class ReplicatedFcmTest extends FcmContract {

    @Override
    protected FileCacheManager newFcm(FramePool pool) {
        return new ReplicatedFcm(pool);
    }

    /** Runs {@code task} on a new thread (a new slot, hence the next representative) and returns its result; bounded. */
    private static <V> V onNewThread(Callable<V> task) throws Exception {
        FutureTask<V> future = new FutureTask<>(task);
        Thread thread = new Thread(future, "replicated-fcm-test");
        thread.start();
        try {
            return future.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } finally {
            thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            assertThat(thread.isAlive()).as("test thread ended").isFalse();
        }
    }

    /**
     * Runs {@code task} on a new thread whose representative is not {@code mine} (with two
     * representatives, of two threads started one after the other one qualifies) and returns that
     * representative.
     */
    private static int onAnotherRepresentative(ReplicatedFcm fcm, int mine, Callable<?> task) throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            int r = onNewThread(() -> {
                int own = fcm.representativeOfCurrentThread();
                if (own == mine) {
                    return -1;
                }
                task.call();
                return own;
            });
            if (r >= 0) {
                return r;
            }
        }
        throw new AssertionError("two consecutive threads on representative " + mine);
    }

    /**
     * Property: threads started one after another work through distinct representatives, each
     * representative owns exactly the pages its thread faulted in, and a thread on yet another
     * representative reads every page written by the others, from the same single copy (no
     * page is faulted in twice, no frame taken).
     */
    @Test
    void distinctThreadsWorkThroughDistinctRepresentativesOverOneCopyOfEachPage() throws Exception {
        int n = 4;
        ReplicatedFcm fcm = new ReplicatedFcm(pool, n, true);
        fcm.open(file("a", bytes(30, 2 * n * PAGE)), Mode.READ_WRITE);
        try {
            int[] representative = new int[n];
            for (int t = 0; t < n; t++) {
                int thread = t;
                representative[t] = onNewThread(() -> {
                    write(fcm, 2L * thread * PAGE, bytes(300 + thread, 2 * PAGE));
                    return fcm.representativeOfCurrentThread();
                });
            }
            assertThat(representative).as("one representative per thread").doesNotHaveDuplicates();
            long[][] counters = fcm.representativeCounters();
            for (int t = 0; t < n; t++) {
                assertThat(fcm.ownerOf(2L * t * PAGE / PAGE)).as("owner of thread %d's first page", t).isEqualTo(representative[t]);
                assertThat(fcm.ownerOf(2L * t + 1)).as("owner of thread %d's second page", t).isEqualTo(representative[t]);
                assertThat(counters[representative[t]]).as("hits, misses, evictions, pages of thread %d's representative", t)
                        .containsExactly(0, 2, 0, 2);
            }

            int reader = onNewThread(() -> {
                for (int t = 0; t < n; t++) {
                    assertThat(read(fcm, 2L * t * PAGE, 2 * PAGE)).as("thread %d's write, read on another representative", t)
                            .isEqualTo(bytes(300 + t, 2 * PAGE));
                }
                return fcm.representativeOfCurrentThread();
            });
            long[][] after = fcm.representativeCounters();
            assertThat(after[reader][0]).as("the reader's remote hits").isEqualTo(counters[reader][0] + 2 * n);
            assertThat(after[reader][1]).as("the reader faulted nothing in").isEqualTo(counters[reader][1]);
            assertThat(pool.inUse()).as("one frame per page").isEqualTo(2 * n).isEqualTo(fcm.statistics().framesHeld);
            for (int t = 0; t < n; t++) {
                assertThat(fcm.ownerOf(2L * t)).as("pages stay with their owner").isEqualTo(representative[t]);
            }
        } finally {
            fcm.close();
        }
    }

    /** Property: pages another representative uses get a second chance at their owner's eviction. */
    @Test
    void aPageOthersUseGetsASecondChance() throws Exception {
        pool = newPool(3); // no free target: the test steps each eviction
        ReplicatedFcm fcm = new ReplicatedFcm(pool, 2, true);
        fcm.open(file("a", bytes(31, 4 * PAGE)), Mode.READ_ONLY);
        try {
            read(fcm, 0, 1); // this thread's representative owns pages 0, 1 and 2; page 0 is its LRU page
            read(fcm, PAGE, 1);
            read(fcm, 2 * PAGE, 1);
            onAnotherRepresentative(fcm, fcm.representativeOfCurrentThread(), () -> read(fcm, 0, 1)); // a remote hit on page 0
            read(fcm, 3 * PAGE, 1); // evicts page 1, not page 0
            assertThat(fcm.ownerOf(0)).as("page 0 stayed").isNotEqualTo(-1);
            assertThat(fcm.ownerOf(1)).as("page 1 was evicted").isEqualTo(-1);
        } finally {
            fcm.close();
        }
    }

    @Test
    void exportsInterleavedRanksAndHandsOverByReference() throws Exception {
        ReplicatedFcm old = new ReplicatedFcm(pool, 2, true);
        old.open(file("a", bytes(32, 6 * PAGE)), Mode.READ_WRITE);
        write(old, 0, new byte[] {1});
        read(old, PAGE, 1);
        onAnotherRepresentative(old, old.representativeOfCurrentThread(), () -> read(old, 4 * PAGE, 2 * PAGE));

        FcmState state = (FcmState) old.exportState(FcmProtocols.CANONICAL);
        assertThat(state.pages()).extracting(PageDescriptor::recency).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(state.pages()).allSatisfy(d -> assertThat(d.frame().owner()).isSameAs(state.account()));
        assertThat(state.pages().stream().filter(PageDescriptor::dirty)).extracting(PageDescriptor::page).containsExactly(0L);
        assertThat(state.pages().stream().sorted(Comparator.comparingInt(PageDescriptor::recency)).limit(2))
                .as("each representative's most recent page first").extracting(PageDescriptor::page)
                .containsExactlyInAnyOrder(1L, 5L);

        ReplicatedFcm replacement = new ReplicatedFcm(pool, 3, true);
        replacement.importState(FcmProtocols.CANONICAL, state);
        old.swappedOut();
        assertThatThrownBy(old::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("swapped out");
        assertThat(pool.inUse()).isEqualTo(4).isEqualTo(replacement.statistics().framesHeld);
        assertThat(replacement.statistics().dirtyPages).isEqualTo(1);
        assertThat(replacement.statistics().misses).isZero();
        byte[] expected = bytes(32, 6 * PAGE);
        expected[0] = 1;
        assertThat(read(replacement, 0, 6 * PAGE)).isEqualTo(expected);
        replacement.close();
        assertThat(pool.inUse()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("a"))).isEqualTo(expected);
    }

    @Test
    void theByReferenceProtocolHandsOverTheRepresentativesAsTheyAre() throws Exception {
        ReplicatedFcm old = new ReplicatedFcm(pool, 2, true);
        old.open(file("a", bytes(33, 4 * PAGE)), Mode.READ_WRITE);
        write(old, 0, new byte[PAGE]);
        int otherRepresentative = onNewThread(() -> {
            read(old, 3 * PAGE, 1);
            return old.representativeOfCurrentThread();
        });
        assertThat(old.exportProtocols() & old.importProtocols()).isEqualTo(FcmProtocols.CANONICAL_BIT | 1L << ReplicatedFcm.REPRESENTATIVES);

        Object state = old.exportState(ReplicatedFcm.REPRESENTATIVES);
        ReplicatedFcm replacement = new ReplicatedFcm(pool, 2, true);
        replacement.importState(ReplicatedFcm.REPRESENTATIVES, state);
        old.swappedOut();
        assertThat(replacement.ownerOf(3)).as("page 3 stays with the representative that faulted it in").isEqualTo(otherRepresentative);
        assertThat(replacement.ownerOf(0)).isEqualTo(replacement.representativeOfCurrentThread());
        assertThat(replacement.statistics().hits + replacement.statistics().misses).as("counted from the take-over").isZero();
        assertThat(replacement.statistics().dirtyPages).isEqualTo(1);
        assertThat(pool.inUse()).isEqualTo(2).isEqualTo(replacement.statistics().framesHeld);
        replacement.close();
        assertThat(pool.inUse()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("a"))).startsWith(new byte[PAGE]);
    }

    /**
     * A live patch from one revision of the bundle to the next: both offer the by-reference
     * protocol, but the old one's cache is of another class (another class loader); the new one
     * takes its canonical form instead, and nothing is lost.
     */
    @Test
    void theCacheOfAnotherRevisionOfTheBundleIsTakenInItsCanonicalForm() throws Exception {
        ClassLoader revision = new OwnPackageLoader(ReplicatedFcm.class.getPackageName(), getClass().getClassLoader());
        Class<?> otherClass = revision.loadClass(ReplicatedFcm.class.getName());
        assertThat(otherClass).isNotSameAs(ReplicatedFcm.class);
        FileCacheManager old = (FileCacheManager) otherClass.getConstructor(swap.fcm.FramePool.class).newInstance(pool);
        old.open(file("a", bytes(36, 3 * PAGE)), Mode.READ_WRITE);
        write(old, PAGE, bytes(37, PAGE)); // a dirty page
        read(old, 0, PAGE);
        swap.transfer.Transferable oldT = (swap.transfer.Transferable) old;

        Object state = oldT.exportState(ReplicatedFcm.REPRESENTATIVES);
        assertThat(state.getClass().getName()).isEqualTo(ReplicatedFcm.class.getName() + "$Cache");
        ReplicatedFcm replacement = new ReplicatedFcm(pool);
        replacement.importState(ReplicatedFcm.REPRESENTATIVES, state);
        oldT.swappedOut();

        assertThat(replacement.statistics().framesHeld).isEqualTo(2).isEqualTo(pool.inUse());
        assertThat(replacement.statistics().dirtyPages).isEqualTo(1);
        byte[] expected = bytes(36, 3 * PAGE);
        System.arraycopy(bytes(37, PAGE), 0, expected, PAGE, PAGE);
        assertThat(read(replacement, 0, 3 * PAGE)).isEqualTo(expected);
        replacement.close();
        assertThat(pool.inUse()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(dir.resolve("a"))).isEqualTo(expected);
    }

    /** Defines the classes of one package itself (as another bundle revision would); the rest comes from the parent. */
    private static final class OwnPackageLoader extends ClassLoader {
        private final String pkg;

        OwnPackageLoader(String pkg, ClassLoader parent) {
            super(parent);
            this.pkg = pkg;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith(pkg + ".") && name.indexOf('.', pkg.length() + 1) < 0) {
                    try (java.io.InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (java.io.IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c != null ? c : super.loadClass(name, resolve);
            }
        }
    }

    @Test
    void anAbandonedReplacementReleasesNothing() throws Exception {
        ReplicatedFcm old = new ReplicatedFcm(pool);
        old.open(file("a", bytes(34, 2 * PAGE)), Mode.READ_WRITE);
        read(old, 0, 2 * PAGE);
        for (int protocol : List.of(FcmProtocols.CANONICAL, ReplicatedFcm.REPRESENTATIVES)) {
            ReplicatedFcm replacement = new ReplicatedFcm(pool);
            replacement.importState(protocol, old.exportState(protocol));
            replacement.importState(protocol, old.exportState(protocol)); // a retried try
            replacement.abandoned();
            assertThat(pool.inUse()).isEqualTo(2).isEqualTo(old.statistics().framesHeld);
            assertThat(read(old, 0, 2 * PAGE)).isEqualTo(bytes(34, 2 * PAGE));
            assertThatThrownBy(() -> replacement.importState(protocol, old.exportState(protocol)))
                    .isInstanceOf(IllegalStateException.class);
        }
        old.close();
    }

    @Test
    void protocolsOfferedAndRefused() throws Exception {
        ReplicatedFcm canonicalOnly = new ReplicatedFcm(pool, 2, false);
        assertThat(canonicalOnly.exportProtocols()).isEqualTo(FcmProtocols.CANONICAL_BIT);
        ReplicatedFcm fcm = new ReplicatedFcm(pool);
        fcm.open(file("a", bytes(35, 10)), Mode.READ_ONLY);
        try {
            assertThatThrownBy(() -> fcm.importState(FcmProtocols.CANONICAL, fcm.exportState(FcmProtocols.CANONICAL)))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> fcm.exportState(1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> canonicalOnly.importState(ReplicatedFcm.REPRESENTATIVES, new Object()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new ReplicatedFcm(pool).importState(ReplicatedFcm.REPRESENTATIVES, "not a cache"))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            fcm.close();
            canonicalOnly.close();
        }
    }
}

package swap.fcm.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.internal.pool.FramePoolImpl;

/**
 * The contract of {@link FileCacheManager}, run against every implementation (a subclass says how
 * to make an unopened instance) and every way of reaching it (a subclass may put the instance
 * behind a stub, see {@link #front}). Real files in a temporary directory, removed afterwards.
 * After each test every cache is closed and the pool must have every frame back.
 */
public abstract class FcmContract {

    protected static final int PAGE = FileCacheManager.PAGE_SIZE;
    /** Every wait of a test is bounded by this. */
    protected static final long BOUND_SECONDS = 30;

    @TempDir
    protected Path dir;
    protected FramePool pool;
    private final List<FileCacheManager> opened = new ArrayList<>();

    /** A new, unopened instance of the implementation under test. */
    protected abstract FileCacheManager newFcm(FramePool pool);

    /** What the test calls: the instance itself (the default) or a stub in front of it. */
    protected FileCacheManager front(FileCacheManager fcm) {
        return fcm;
    }

    /** The pool's budget for tests that do not choose one. */
    protected int budget() {
        return 64;
    }

    /** Whether the pool of the tests has its caches use direct I/O ({@link FramePool#directIo()}). */
    protected boolean directIo() {
        return false;
    }

    @BeforeEach
    void makePool() {
        pool = newPool(budget());
    }

    /**
     * A pool of {@code budget} frames, with direct I/O as {@link #directIo()} says, whose waits for
     * a reclaimed frame last at most {@link #RECLAIM_TIMEOUT} (closed after the test), and that
     * keeps no frames free ahead of demand: it reclaims only for a cache with no frame, so that the
     * tests' counts are exact (the reserve has tests of its own).
     */
    protected FramePool newPool(int budget) {
        FramePoolImpl p = (FramePoolImpl) FileCaches.newFramePool(budget, directIo());
        p.setReclaimTimeout(RECLAIM_TIMEOUT);
        p.setFreeFrames(0);
        pools.add(p);
        return p;
    }

    /** How long a cache with no frame waits for one in these tests. */
    protected static final Duration RECLAIM_TIMEOUT = Duration.ofMillis(300);
    private final List<FramePoolImpl> pools = new ArrayList<>();

    /** Called after every cache of a test was closed (a subclass releases what {@link #front} made). */
    protected void closed() {
    }

    @AfterEach
    void closeAndCheckPool() throws IOException {
        try {
            for (FileCacheManager fcm : opened) {
                fcm.close();
            }
        } finally {
            closed();
        }
        assertThat(pool.inUse()).as("frames in use after every cache closed").isZero();
        assertThat(pool.openAccounts()).as("accounts open after every cache closed").isZero();
        pools.forEach(FramePoolImpl::close);
    }

    /** Opens {@code file} in a new instance (closed after the test) and returns its front. */
    protected FileCacheManager open(Path file, Mode mode) throws IOException {
        FileCacheManager fcm = front(FileCaches.open(newFcm(pool), file, mode));
        opened.add(fcm);
        return fcm;
    }

    /** A new file with {@code content}. */
    protected Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** {@code length} pseudo-random bytes from {@code seed}. */
    protected static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static byte[] read(FileCacheManager fcm, long position, int length) throws IOException {
        byte[] b = new byte[length];
        int n = fcm.read(position, b, 0, length);
        assertThat(n).as("bytes read at %d", position).isEqualTo(length);
        return b;
    }

    protected static void write(FileCacheManager fcm, long position, byte[] b) throws IOException {
        fcm.write(position, b, 0, b.length);
    }

    /**
     * The pool's count matches the frames the caches hold, once the passes under way have ended (a
     * pass takes a frame out of its cache before it gives it back). Call it when the caches' own
     * calls have stopped.
     */
    public static void assertFramesMatch(FramePool pool, FileCacheManager... fcms) {
        if (pool instanceof FramePoolImpl) {
            try {
                assertThat(((FramePoolImpl) pool).awaitPasses(Duration.ofSeconds(30))).as("the pool's reclaim passes ended").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the pool's reclaim passes", e);
            }
        }
        int held = Arrays.stream(fcms).mapToInt(f -> f.statistics().framesHeld).sum();
        assertThat(pool.inUse()).as("frames in use in the pool vs frames the caches hold").isEqualTo(held);
        assertThat(pool.inUse()).as("frames in use within the budget").isLessThanOrEqualTo(pool.budget());
    }

    // ---- single-threaded contract --------------------------------------------------------------

    @Test
    void readAfterWrite() throws IOException {
        FileCacheManager fcm = open(file("a", new byte[0]), Mode.READ_WRITE);
        byte[] data = bytes(1, 300);
        write(fcm, 100, data);
        assertThat(read(fcm, 100, 300)).isEqualTo(data);
        assertThat(read(fcm, 0, 100)).as("the gap before the write reads as zeros").containsOnly(0);
        assertThat(fcm.size()).isEqualTo(400);
    }

    @Test
    void readsPastTheEndOfFile() throws IOException {
        FileCacheManager fcm = open(file("a", bytes(2, 10)), Mode.READ_ONLY);
        byte[] b = new byte[20];
        assertThat(fcm.read(10, b, 0, 20)).as("at the end").isEqualTo(-1);
        assertThat(fcm.read(5 * PAGE, b, 0, 20)).as("pages past the end").isEqualTo(-1);
        assertThat(fcm.read(5, b, 0, 20)).as("a range across the end").isEqualTo(5);
        assertThat(Arrays.copyOf(b, 5)).isEqualTo(Arrays.copyOfRange(bytes(2, 10), 5, 10));
        assertThat(fcm.read(100, b, 0, 0)).as("an empty range").isZero();
    }

    @Test
    void writesThatExtendTheFile() throws IOException {
        Path path = file("a", bytes(3, 10));
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        byte[] tail = bytes(4, 50);
        long at = 3L * PAGE + 10;
        write(fcm, at, tail);
        assertThat(fcm.size()).isEqualTo(at + 50);
        assertThat(read(fcm, 10, (int) at - 10)).as("the gap").containsOnly(0);
        assertThat(Files.size(path)).as("on disk before a flush").isEqualTo(10);
        fcm.flush();
        byte[] disk = Files.readAllBytes(path);
        assertThat(disk).hasSize((int) at + 50);
        assertThat(Arrays.copyOfRange(disk, 0, 10)).isEqualTo(bytes(3, 10));
        assertThat(Arrays.copyOfRange(disk, 10, (int) at)).containsOnly(0);
        assertThat(Arrays.copyOfRange(disk, (int) at, (int) at + 50)).isEqualTo(tail);
    }

    @Test
    void unalignedRangesAcrossPageBoundaries() throws IOException {
        int length = 5 * PAGE + 123;
        byte[] model = bytes(5, length);
        Path path = file("a", model.clone());
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        Random random = new Random(6);
        for (int i = 0; i < 200; i++) { // writes of 1 byte to 2 pages and a bit, anywhere
            int at = random.nextInt(length);
            int n = Math.min(1 + random.nextInt(2 * PAGE + 100), length - at);
            byte[] b = bytes(1000 + i, n);
            write(fcm, at, b);
            System.arraycopy(b, 0, model, at, n);
        }
        for (int at = 0; at < length;) { // read back in other odd pieces
            int n = Math.min(1 + random.nextInt(PAGE + 300), length - at);
            assertThat(read(fcm, at, n)).as("range at %d of %d bytes", at, n).isEqualTo(Arrays.copyOfRange(model, at, at + n));
            at += n;
        }
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(model);
    }

    @Test
    void flushThenReopenReadsFromDisk() throws IOException {
        Path path = file("a", new byte[0]);
        byte[] data = bytes(7, 3 * PAGE + 17);
        FileCacheManager first = open(path, Mode.READ_WRITE);
        write(first, 0, data);
        first.flush();
        assertThat(Files.readAllBytes(path)).as("on disk after flush").isEqualTo(data);
        assertThat(first.statistics().dirtyPages).isZero();
        first.close();
        assertThat(pool.inUse()).as("frames after close").isZero();
        FileCacheManager second = open(path, Mode.READ_ONLY);
        assertThat(read(second, 0, data.length)).isEqualTo(data);
        assertThat(second.statistics().misses).as("every page read from disk").isEqualTo(4);
    }

    @Test
    void closeWritesDirtyPagesBack() throws IOException {
        Path path = file("a", new byte[0]);
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        byte[] data = bytes(8, 2 * PAGE);
        write(fcm, 0, data);
        fcm.close();
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
        assertThat(fcm.isOpen()).isFalse();
        assertThatThrownBy(() -> fcm.size()).isInstanceOf(IllegalStateException.class);
        fcm.close(); // idempotent
    }

    @Test
    void evictionUnderASmallBudgetWritesDirtyPagesBack() throws IOException {
        pool = newPool(4);
        Path path = file("a", new byte[0]);
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        int pages = 16;
        byte[] data = bytes(9, pages * PAGE);
        for (int p = 0; p < pages; p++) {
            fcm.write((long) p * PAGE, data, p * PAGE, PAGE);
            assertFramesMatch(pool, fcm);
        }
        FcmStatistics stats = fcm.statistics();
        assertThat(stats.framesHeld).isLessThanOrEqualTo(4);
        assertThat(stats.evictions).isGreaterThanOrEqualTo(pages - 4);
        assertThat(stats.writeBacks).as("every evicted page was dirty").isEqualTo(stats.evictions);
        byte[] disk = Files.readAllBytes(path);
        int evicted = (int) stats.evictions;
        assertThat(disk.length).as("evicted pages are on disk before any flush").isGreaterThanOrEqualTo(evicted * PAGE);
        assertThat(Arrays.copyOf(disk, (pages - 4) * PAGE)).isEqualTo(Arrays.copyOf(data, (pages - 4) * PAGE));
        assertThat(read(fcm, 0, data.length)).as("every page, read back through a cache of 4 frames").isEqualTo(data);
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
        assertFramesMatch(pool, fcm);
    }

    @Test
    void frameAccountingIsExact() throws IOException {
        pool = newPool(6);
        FileCacheManager a = open(file("a", bytes(10, 8 * PAGE)), Mode.READ_WRITE);
        FileCacheManager b = open(file("b", bytes(11, 8 * PAGE)), Mode.READ_ONLY);
        assertFramesMatch(pool, a, b);
        read(a, 0, 3 * PAGE);
        assertFramesMatch(pool, a, b);
        read(b, 0, 8 * PAGE); // takes the rest, then evicts its own pages
        assertFramesMatch(pool, a, b);
        assertThat(a.statistics().framesHeld).as("b never takes a's frames").isEqualTo(3);
        write(a, 5 * PAGE, new byte[2 * PAGE]); // a must evict its own
        assertFramesMatch(pool, a, b);
        assertThat(pool.inUse()).isEqualTo(6);
        a.close();
        assertThat(pool.inUse()).isEqualTo(b.statistics().framesHeld);
        b.close();
        assertThat(pool.inUse()).isZero();
        assertThat(pool.openAccounts()).isZero();
    }

    // ---- bad input ----------------------------------------------------------------------------------

    @Test
    void writesToAReadOnlyFileFail() throws IOException {
        Path path = file("a", bytes(12, 100));
        FileCacheManager fcm = open(path, Mode.READ_ONLY);
        assertThatThrownBy(() -> write(fcm, 0, new byte[10])).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("read-only");
        assertThat(read(fcm, 0, 100)).isEqualTo(bytes(12, 100));
        assertThat(Files.readAllBytes(path)).isEqualTo(bytes(12, 100));
    }

    @Test
    void badArgumentsFailAndChangeNothing() throws IOException {
        Path path = file("a", bytes(13, 100));
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        assertThatThrownBy(() -> fcm.read(-1, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fcm.write(-PAGE, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fcm.read(0, new byte[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> fcm.write(0, new byte[1], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(fcm.size()).isEqualTo(100);
        assertThat(read(fcm, 0, 100)).isEqualTo(bytes(13, 100));
    }

    @Test
    void aMissingFileFailsToOpen() {
        assertThatThrownBy(() -> open(dir.resolve("missing"), Mode.READ_ONLY)).isInstanceOf(NoSuchFileException.class);
        assertThat(pool.openAccounts()).isZero();
    }

    /** A budget smaller than one frame per open file: the file with none fails; the pool never takes another's last frame. */
    @Test
    void aCacheWithNoFrameFailsWhenEveryOtherKeepsItsLast() throws IOException {
        pool = newPool(1);
        FileCacheManager a = open(file("a", bytes(14, 2 * PAGE)), Mode.READ_ONLY);
        FileCacheManager b = open(file("b", bytes(15, 2 * PAGE)), Mode.READ_ONLY);
        read(a, 0, 10);
        assertThatThrownBy(() -> read(b, 0, 10)).isInstanceOf(IllegalStateException.class).hasMessageContaining("exhausted")
                .hasMessageContaining("the other files keep their last frame");
        assertThat(read(a, PAGE, PAGE)).as("a goes on with its one frame").isEqualTo(Arrays.copyOfRange(bytes(14, 2 * PAGE), PAGE, 2 * PAGE));
        assertFramesMatch(pool, a, b);
        a.close();
        assertThat(read(b, 0, 10)).isEqualTo(Arrays.copyOf(bytes(15, 2 * PAGE), 10));
    }

    /**
     * A file opened while another holds every frame gets frames: the pool asks the other to trim,
     * which writes its least recently used dirty page back first.
     */
    @Test
    void aFileWithNoPageGetsFramesTheOthersGiveBack() throws IOException {
        pool = newPool(8);
        byte[] original = bytes(16, 8 * PAGE);
        Path aPath = file("a", original);
        FileCacheManager a = open(aPath, Mode.READ_WRITE);
        byte[] changed = bytes(17, PAGE);
        write(a, 0, changed); // page 0: dirty, and the least recently used after the read below
        read(a, PAGE, 7 * PAGE);
        assertThat(pool.inUse()).as("a holds every frame").isEqualTo(8);

        FileCacheManager b = open(file("b", bytes(18, 2 * PAGE)), Mode.READ_ONLY);
        assertThat(read(b, 0, 2 * PAGE)).isEqualTo(bytes(18, 2 * PAGE));

        assertThat(b.statistics().framesHeld).isBetween(1, 2);
        assertThat(a.statistics().framesHeld).isLessThan(8);
        assertFramesMatch(pool, a, b);
        assertThat(Arrays.copyOf(Files.readAllBytes(aPath), PAGE)).as("a's dirty page was written back before it was given")
                .isEqualTo(changed);
        byte[] model = original.clone();
        System.arraycopy(changed, 0, model, 0, PAGE);
        assertThat(read(a, 0, 8 * PAGE)).as("a reads its file back right").isEqualTo(model);
        assertFramesMatch(pool, a, b);
    }

    @Test
    void theReserveTakesFramesFromEveryCacheInProportionAndLosesNothing() throws IOException {
        FramePoolImpl reserved = (FramePoolImpl) newPool(24);
        reserved.setFreeFrames(4);
        pool = reserved;
        byte[] aOriginal = bytes(21, 12 * PAGE);
        Path aPath = file("a", aOriginal);
        FileCacheManager a = open(aPath, Mode.READ_WRITE);
        byte[] changed = bytes(22, 3 * PAGE);
        write(a, 0, changed); // pages 0 to 2 dirty, the least recently used after the read below
        read(a, 3 * PAGE, 9 * PAGE);
        assertThat(a.statistics().framesHeld).as("12 pages: within every FCM's window").isEqualTo(12);
        assertThat(reserved.reclaimPasses()).as("12 free: more than half the target").isZero();

        byte[] bOriginal = bytes(23, 12 * PAGE);
        FileCacheManager b = open(file("b", bOriginal), Mode.READ_ONLY);
        assertThat(read(b, 0, 12 * PAGE)).isEqualTo(bOriginal);

        // the last allocation (or failed one) asked for a pass, which keeps 4 frames free
        await().atMost(Duration.ofSeconds(30)).until(() -> reserved.budget() - reserved.inUse() == 4);
        assertThat(reserved.reclaimPasses()).isPositive();
        assertThat(a.statistics().framesHeld).as("a gave frames back").isLessThan(12);
        assertThat(b.statistics().framesHeld).as("b too").isLessThan(12);
        assertFramesMatch(pool, a, b);
        byte[] aModel = aOriginal.clone();
        System.arraycopy(changed, 0, aModel, 0, changed.length);
        byte[] disk = Files.readAllBytes(aPath);
        int written = 0;
        for (int p = 0; p < 3; p++) {
            if (Arrays.equals(disk, p * PAGE, (p + 1) * PAGE, changed, p * PAGE, (p + 1) * PAGE)) {
                written++;
            }
        }
        assertThat(written + a.statistics().dirtyPages).as("each dirty page is still dirty in a, or was written back before a gave it")
                .isEqualTo(3);
        assertThat(read(a, 0, 12 * PAGE)).isEqualTo(aModel);
        a.flush();
        assertThat(Files.readAllBytes(aPath)).isEqualTo(aModel);
        assertThat(read(b, 0, 12 * PAGE)).isEqualTo(bOriginal);
        assertFramesMatch(pool, a, b);
    }

    @Test
    void trimGivesBackTheLeastRecentPagesAndKeepsOne() throws IOException {
        byte[] original = bytes(19, 10 * PAGE);
        Path path = file("a", original);
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        byte[] changed = bytes(20, 100);
        write(fcm, 5, changed); // page 0, dirty and least recent
        read(fcm, PAGE, 9 * PAGE);
        assertThat(fcm.statistics().framesHeld).isEqualTo(10);
        long evictions = fcm.statistics().evictions;

        assertThat(fcm.trim(3)).isEqualTo(3);
        assertThat(fcm.statistics().framesHeld).isEqualTo(7);
        assertThat(fcm.statistics().evictions - evictions).as("trimmed pages count as evictions").isEqualTo(3);
        assertThat(fcm.statistics().dirtyPages).as("the dirty page went first").isZero();
        assertThat(Arrays.copyOfRange(Files.readAllBytes(path), 5, 105)).isEqualTo(changed);
        assertFramesMatch(pool, fcm);

        assertThat(fcm.trim(100)).as("all but one").isEqualTo(6);
        assertThat(fcm.trim(1)).as("never the last").isZero();
        assertThat(fcm.trim(0)).isZero();
        assertThatThrownBy(() -> fcm.trim(-1)).isInstanceOf(IllegalArgumentException.class);
        assertFramesMatch(pool, fcm);
        byte[] model = original.clone();
        System.arraycopy(changed, 0, model, 5, 100);
        assertThat(read(fcm, 0, 10 * PAGE)).isEqualTo(model);
        fcm.close();
        assertThat(fcm.trim(5)).as("a closed cache has nothing to give").isZero();
    }

    // ---- concurrency --------------------------------------------------------------------------------

    /**
     * Property: under a budget far smaller than the file, writers of disjoint unaligned regions
     * always read back what they last wrote, readers of a region nobody writes always read its
     * original bytes, and after a flush the file holds every writer's last write.
     */
    @Test
    void concurrentWritersAndReadersUnderASmallBudget() throws Exception {
        pool = newPool(6);
        int writers = 3;
        int region = 3 * PAGE + 500; // each writer's region spans 4 or 5 pages, unaligned
        int stable = 4 * PAGE;
        byte[] original = bytes(16, stable + writers * region);
        Path path = file("a", original);
        FileCacheManager fcm = open(path, Mode.READ_WRITE);
        byte[] expected = original.clone();
        int rounds = 150;
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int start = stable + w * region + 7;
            int length = region - 7;
            int writer = w;
            tasks.add(() -> {
                byte[] last = null;
                for (int i = 0; i < rounds; i++) {
                    last = bytes(writer * 10_000L + i, length);
                    write(fcm, start, last);
                    assertThat(read(fcm, start, length)).as("writer %d round %d reads back its write", writer, i).isEqualTo(last);
                }
                synchronized (expected) {
                    System.arraycopy(last, 0, expected, start, length);
                }
                return null;
            });
        }
        for (int r = 0; r < 2; r++) {
            tasks.add(() -> {
                while (writing.get()) {
                    assertThat(read(fcm, 0, stable)).as("the region nobody writes").isEqualTo(Arrays.copyOf(original, stable));
                }
                return null;
            });
        }
        runAll(tasks, writers, writing);
        assertFramesMatch(pool, fcm);
        fcm.flush();
        synchronized (expected) {
            assertThat(Files.readAllBytes(path)).isEqualTo(expected);
        }
    }

    /**
     * Runs the tasks on their own threads; when the first {@code writers} tasks are done,
     * {@code running} turns false so that the others stop. Bounded; rethrows the first failure.
     */
    protected static void runAll(List<Callable<Void>> tasks, int writers, AtomicBoolean running) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(threads.submit(task));
            }
            try {
                for (int i = 0; i < writers; i++) {
                    futures.get(i).get(BOUND_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                running.set(false);
            }
            for (Future<Void> f : futures) {
                f.get(BOUND_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS)).as("worker threads ended").isTrue();
        }
    }
}

package swap.fcm.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import swap.fcm.FcmProtocols;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;
import swap.fcm.internal.pool.FramePoolImpl;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapResult;
import swap.hotswap.SwapTarget;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;
import swap.transfer.Transferable;

/**
 * Hot swaps of a file cache from one implementation ({@link #newFcm}) to another
 * ({@link #newReplacement}, the same by default: a null swap), through a real Object Translation
 * Table: contents always correct, no dirty page lost (a write before a swap is on disk after a
 * flush after it), frame accounting exact (the pool's count never moves on a swap, and is zero
 * once the file is closed).
 */
public abstract class FcmSwapContract {

    protected static final int PAGE = FileCacheManager.PAGE_SIZE;
    protected static final SwapOptions OPTIONS = SwapOptions.defaults();

    @TempDir
    protected Path dir;
    protected FramePool pool;
    protected TableImpl table;
    private final List<FileCacheManager> opened = new ArrayList<>();

    /** A new, unopened instance of the implementation swapped from (the entries' factory). */
    protected abstract FileCacheManager newFcm(FramePool pool);

    /** A new, unopened instance of the implementation swapped to. */
    protected FileCacheManager newReplacement(FramePool pool) {
        return newFcm(pool);
    }

    /** Whether the pool of the tests has its caches use direct I/O ({@link FramePool#directIo()}). */
    protected boolean directIo() {
        return false;
    }

    @BeforeEach
    void makeTable() {
        pool = FileCaches.newFramePool(8, directIo());
        // no free target: a pass would trim the only file while the tests count its frames (the race test turns it on)
        ((FramePoolImpl) pool).setFreeFrames(0);
        table = new TableImpl();
        table.registerFactory("fcm-from", FileCacheManager.class, () -> newFcm(pool));
        table.registerFactory("fcm-to", FileCacheManager.class, () -> newReplacement(pool));
    }

    @AfterEach
    void closeAndCheck() throws IOException {
        try {
            for (FileCacheManager fcm : opened) {
                fcm.close();
            }
        } finally {
            table.close();
            ((FramePoolImpl) pool).close();
        }
        assertThat(pool.inUse()).as("frames in use after every cache closed").isZero();
        assertThat(pool.openAccounts()).as("accounts open after every cache closed").isZero();
    }

    /** An entry made by the factory, opened on {@code file}. */
    protected Entry<FileCacheManager> open(Path file) throws IOException {
        Entry<FileCacheManager> entry = table.create("fcm/" + file.getFileName(), FileCacheManager.class, "fcm-from");
        entry.stub().open(file, Mode.READ_WRITE);
        opened.add(entry.stub());
        return entry;
    }

    protected static byte[] bytes(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static byte[] read(FileCacheManager fcm, long position, int length) throws IOException {
        byte[] b = new byte[length];
        assertThat(fcm.read(position, b, 0, length)).as("bytes read at %d", position).isEqualTo(length);
        return b;
    }

    /** The bytes on disk, read with a channel of our own. */
    protected static byte[] onDisk(Path file, long position, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining() && ch.read(b, position + b.position()) >= 0) {
                // until full or the end of the file
            }
            return Arrays.copyOf(b.array(), b.position());
        }
    }

    private SwapResult swap(Entry<FileCacheManager> entry, SwapTarget<FileCacheManager> target) {
        long exported = entry.snapshot().exportProtocols;
        SwapResult result = entry.swap(target, OPTIONS, "test");
        assertThat(result.committed()).as("swap %s", result).isTrue();
        long imported = entry.snapshot().importProtocols;
        long common = exported & imported;
        assertThat(common & (1L << FcmProtocols.CANONICAL)).as("every FCM speaks the canonical format").isNotZero();
        assertThat(result.protocol).as("protocol negotiated: the highest bit of 0x%x & 0x%x", exported, imported)
                .isEqualTo(63 - Long.numberOfLeadingZeros(common));
        return result;
    }

    @Test
    void aSwapKeepsContentsDirtyPagesAndFrames() throws IOException {
        Path path = Files.write(dir.resolve("a"), bytes(1, 12 * PAGE));
        Entry<FileCacheManager> entry = open(path);
        FileCacheManager fcm = entry.stub();
        byte[] model = bytes(1, 12 * PAGE);
        byte[] data = bytes(2, 5 * PAGE + 99);
        fcm.write(PAGE + 17, data, 0, data.length); // 6 dirty pages, some evicted under 8 frames
        System.arraycopy(data, 0, model, PAGE + 17, data.length);
        read(fcm, 9 * PAGE, 2 * PAGE); // and some clean ones
        FcmStatistics before = fcm.statistics();
        int inUse = pool.inUse();

        swap(entry, SwapTarget.instance(newReplacement(pool)));

        FcmStatistics after = fcm.statistics();
        assertThat(after.framesHeld).as("frames held across the swap").isEqualTo(before.framesHeld);
        assertThat(after.dirtyPages).as("dirty pages across the swap").isEqualTo(before.dirtyPages);
        assertThat(pool.inUse()).as("the pool's count does not move on a swap").isEqualTo(inUse).isEqualTo(after.framesHeld);
        assertThat(fcm.size()).isEqualTo(12 * PAGE);
        assertThat(after.misses).as("no page was read again from disk").isZero();
        assertThat(read(fcm, 0, model.length)).isEqualTo(model);
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(model);
    }

    @Test
    void aFreshSwapOfAFactoryMadeEntry() throws IOException {
        Path path = Files.write(dir.resolve("a"), new byte[0]);
        Entry<FileCacheManager> entry = open(path);
        FileCacheManager fcm = entry.stub();
        byte[] data = bytes(3, 3 * PAGE + 5);
        fcm.write(0, data, 0, data.length);
        swap(entry, SwapTarget.fresh());
        swap(entry, SwapTarget.fresh());
        assertThat(fcm.size()).isEqualTo(data.length);
        assertThat(read(fcm, 0, data.length)).isEqualTo(data);
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
        assertThat(pool.inUse()).isEqualTo(fcm.statistics().framesHeld);
    }

    /** Property: a swap that rolls back after the replacement imported leaves the old instance serving with every page and frame. */
    @Test
    void aRolledBackSwapLeavesTheOldInstanceServing() throws IOException {
        Path path = Files.write(dir.resolve("a"), bytes(4, 6 * PAGE));
        Entry<FileCacheManager> entry = open(path);
        FileCacheManager fcm = entry.stub();
        byte[] model = bytes(4, 6 * PAGE);
        byte[] data = bytes(5, 2 * PAGE);
        fcm.write(PAGE, data, 0, data.length);
        System.arraycopy(data, 0, model, PAGE, data.length);
        FcmStatistics before = fcm.statistics();

        FailingImport failing = new FailingImport(newReplacement(pool));
        assertThatThrownBy(() -> entry.swap(SwapTarget.instance(failing), OPTIONS.withTries(1), "test"))
                .isInstanceOf(SwapException.class);
        assertThat(failing.abandoned).as("the replacement was abandoned").isTrue();

        FcmStatistics after = fcm.statistics();
        assertThat(after.framesHeld).isEqualTo(before.framesHeld).isEqualTo(pool.inUse());
        assertThat(after.dirtyPages).isEqualTo(before.dirtyPages);
        assertThat(read(fcm, 0, model.length)).isEqualTo(model);
        swap(entry, SwapTarget.instance(newReplacement(pool)));
        fcm.flush();
        assertThat(Files.readAllBytes(path)).isEqualTo(model);
    }

    /**
     * Property: while writers of disjoint regions and a reader of a region nobody writes run
     * through the stub under a budget smaller than the file, repeated swaps never make a reader
     * see wrong bytes or a writer lose a write; each swap's preceding write is on disk after a
     * flush that follows the swap; and the pool's count equals the frames the cache holds.
     */
    @Test
    void swapsUnderConcurrentLoad() throws Exception {
        int writers = 2;
        int region = 2 * PAGE + 300;
        int stableStart = PAGE; // page 0: the swapper's marker
        int stable = 2 * PAGE;
        int regionsStart = stableStart + stable;
        byte[] original = bytes(6, regionsStart + writers * region);
        Path path = Files.write(dir.resolve("a"), original);
        Entry<FileCacheManager> entry = open(path);
        FileCacheManager fcm = entry.stub();
        byte[] expected = original.clone();
        AtomicBoolean swapping = new AtomicBoolean(true);
        int swaps = 40;
        List<Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> { // the swapper: its marker write before each swap is on disk after the swap and a flush
            for (int i = 0; i < swaps; i++) {
                byte[] marker = bytes(100 + i, 64);
                fcm.write(10, marker, 0, marker.length);
                swap(entry, switch (i % 3) { // every kind of target; a fresh one follows a factory-made one
                    case 0 -> SwapTarget.<FileCacheManager>factory("fcm-to");
                    case 1 -> SwapTarget.<FileCacheManager>fresh();
                    default -> SwapTarget.instance(newReplacement(pool));
                });
                fcm.flush();
                assertThat(onDisk(path, 10, 64)).as("marker %d on disk after swap and flush", i).isEqualTo(marker);
                if (i == swaps - 1) {
                    synchronized (expected) {
                        System.arraycopy(marker, 0, expected, 10, 64);
                    }
                }
            }
            return null;
        });
        for (int w = 0; w < writers; w++) {
            int start = regionsStart + w * region + 3;
            int length = region - 3;
            int writer = w;
            tasks.add(() -> {
                byte[] last = null;
                for (int i = 0; swapping.get() || i < 20; i++) {
                    last = bytes(writer * 100_000L + i, length);
                    fcm.write(start, last, 0, length);
                    assertThat(read(fcm, start, length)).as("writer %d round %d", writer, i).isEqualTo(last);
                }
                synchronized (expected) {
                    System.arraycopy(last, 0, expected, start, length);
                }
                return null;
            });
        }
        tasks.add(() -> {
            while (swapping.get()) {
                assertThat(read(fcm, stableStart, stable)).as("the region nobody writes")
                        .isEqualTo(Arrays.copyOfRange(original, stableStart, stableStart + stable));
            }
            return null;
        });
        FcmContract.runAll(tasks, 1, swapping);
        assertThat(entry.history()).as("swaps recorded").hasSize(swaps);
        FcmContract.assertFramesMatch(pool, fcm);
        assertThat(pool.openAccounts()).as("one account for the one file").isEqualTo(1);
        fcm.flush();
        synchronized (expected) {
            assertThat(Files.readAllBytes(path)).isEqualTo(expected);
        }
    }

    /**
     * Property: while a writer works on a file that holds most of the pool, and that file is
     * swapped again and again, files opened, used and closed meanwhile get their frames from it
     * (the pool's reclaim, through the stub, racing with the writer's calls, the swaps and the
     * other files' closes): every file reads what was written, every write reaches the disk, and
     * the pool's count matches the frames the caches hold.
     */
    @Test
    void reclaimRacesWithCallsClosesAndSwapsAndLosesNothing() throws Exception {
        int pages = 12;
        byte[] original = bytes(30, pages * PAGE);
        Path path = Files.write(dir.resolve("big"), original);
        Entry<FileCacheManager> entry = open(path);
        FileCacheManager big = entry.stub();
        assertThat(read(big, 0, pages * PAGE)).isEqualTo(original);
        ((FramePoolImpl) pool).setBudget(pool.inUse()); // an MRU FCM keeps to its window: the budget is what it holds
        ((FramePoolImpl) pool).setFreeFrames(FramePool.AUTO_FREE_FRAMES); // and passes keep a frame free: more trims race
        assertThat(pool.inUse()).as("the big file holds every frame").isEqualTo(pool.budget()).isGreaterThan(1);
        byte[] expected = original.clone();
        AtomicBoolean running = new AtomicBoolean(true);
        int swaps = 15;
        int churns = 30;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int c = 0; c < 2; c++) { // the churners: each of their files starts with no frame
            int churner = c;
            tasks.add(() -> {
                for (int i = 0; i < churns; i++) {
                    byte[] content = bytes(1000L * churner + i, 2 * PAGE);
                    Path small = Files.write(dir.resolve("small-" + churner + "-" + i), content);
                    Entry<FileCacheManager> e = table.create("small/" + churner + "/" + i, FileCacheManager.class, "fcm-from");
                    try {
                        FileCacheManager fcm = e.stub();
                        fcm.open(small, Mode.READ_WRITE);
                        assertThat(read(fcm, 0, 2 * PAGE)).as("churner %d file %d", churner, i).isEqualTo(content);
                        byte[] change = bytes(7000L * churner + i, 50);
                        fcm.write(PAGE + 9, change, 0, change.length);
                        fcm.close();
                        System.arraycopy(change, 0, content, PAGE + 9, change.length);
                        assertThat(Files.readAllBytes(small)).as("churner %d file %d on disk after close", churner, i).isEqualTo(content);
                    } finally {
                        e.remove();
                    }
                }
                return null;
            });
        }
        tasks.add(() -> { // the swapper
            for (int i = 0; i < swaps; i++) {
                swap(entry, i % 2 == 0 ? SwapTarget.<FileCacheManager>factory("fcm-to") : SwapTarget.<FileCacheManager>fresh());
            }
            return null;
        });
        tasks.add(() -> { // the writer: the whole big file, page after page, each write read back
            for (int i = 0; running.get() || i < pages; i++) {
                int at = (i % pages) * PAGE + 11;
                byte[] b = bytes(50_000L + i, 200);
                big.write(at, b, 0, b.length);
                assertThat(read(big, at, b.length)).as("write %d read back", i).isEqualTo(b);
                synchronized (expected) {
                    System.arraycopy(b, 0, expected, at, b.length);
                }
            }
            return null;
        });
        FcmContract.runAll(tasks, 3, running);

        assertThat(((FramePoolImpl) pool).framesReclaimed()).as("the big file gave frames back")
                .isPositive();
        FcmContract.assertFramesMatch(pool, big);
        assertThat(pool.openAccounts()).as("every small file's account closed").isEqualTo(1);
        big.flush();
        synchronized (expected) {
            assertThat(Files.readAllBytes(path)).isEqualTo(expected);
        }
    }

    /** A replacement whose import takes the state and then fails: the swap must roll back cleanly. */
    public static final class FailingImport implements FileCacheManager, Transferable {
        private final FileCacheManager delegate;
        volatile boolean abandoned;

        FailingImport(FileCacheManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public long exportProtocols() {
            return ((Transferable) delegate).exportProtocols();
        }

        @Override
        public long importProtocols() {
            return ((Transferable) delegate).importProtocols();
        }

        @Override
        public Object exportState(int protocol) throws Exception {
            return ((Transferable) delegate).exportState(protocol);
        }

        @Override
        public void importState(int protocol, Object state) throws Exception {
            ((Transferable) delegate).importState(protocol, state);
            throw new IllegalStateException("import fails on purpose");
        }

        @Override
        public void abandoned() {
            abandoned = true;
            ((Transferable) delegate).abandoned();
        }

        @Override
        public void open(Path file, Mode mode) throws IOException {
            delegate.open(file, mode);
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public Path file() {
            return delegate.file();
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            return delegate.read(position, buffer, offset, length);
        }

        @Override
        public void write(long position, byte[] buffer, int offset, int length) throws IOException {
            delegate.write(position, buffer, offset, length);
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public int trim(int frames) throws IOException {
            return delegate.trim(frames);
        }

        @Override
        public swap.fcm.FcmStatistics statistics() {
            return delegate.statistics();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}

package swap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.internal.pool.FramePoolImpl;
import swap.fcm.shared.internal.SharedFcm;
import swap.internal.ott.TableImpl;
import swap.ott.Entry;

/**
 * What the frame pool's reclaim costs the file that needs it, beside its baseline: a file is
 * opened through an OTT stub, its first page read and the file closed, while another file (also
 * behind a stub) holds all but one frame of the pool ({@code withAFreeFrame}, the baseline: the
 * first read takes the free frame) or every frame ({@code withAFullPool}: the read waits while the
 * pool's thread has the other file trim its least recently used pages through its stub, K42's page
 * manager). Before each invocation the other file reads its pages again, so that it holds what it
 * held (and both cases are sampled alike).
 *
 * <pre>
 * java -jar swap.bench/target/benchmarks.jar FrameReclaimBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameReclaimBenchmark {

    /** Pages of the file that holds the pool. */
    static final int HOLDER_PAGES = 32;

    /**
     * A pool of {@link #budget()} frames, {@link #HOLDER_PAGES} of them held by another file behind a
     * stub. Before each invocation the holder reads its pages again, taking back what it gave (in
     * the full pool's case; with a free frame every page is a hit), so that both cases are sampled
     * alike.
     */
    public abstract static class Pool {
        Path dir;
        Path small;
        FramePoolImpl frames;
        TableImpl table;
        Entry<FileCacheManager> holder;
        final byte[] buffer = new byte[HOLDER_PAGES * FileCacheManager.PAGE_SIZE];

        /** The pool's budget in frames. */
        abstract int budget();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("swap-reclaim-bench");
            Path big = Files.write(dir.resolve("holder"), new byte[buffer.length]);
            small = Files.write(dir.resolve("new"), new byte[FileCacheManager.PAGE_SIZE]);
            frames = (FramePoolImpl) FileCaches.newFramePool(budget());
            frames.setFreeFrames(0); // the wait of a file with no frame, not the reserve (which would trim the holder ahead)
            table = new TableImpl();
            holder = table.register(FileCacheManager.class, new SharedFcm(frames));
            holder.stub().open(big, FileCacheManager.Mode.READ_ONLY);
            refill();
        }

        @Setup(Level.Invocation)
        public void refill() throws IOException {
            holder.stub().read(0, buffer, 0, buffer.length);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            refill(); // after the last invocation
            if (frames.inUse() != HOLDER_PAGES) {
                throw new IllegalStateException("the holder should hold " + HOLDER_PAGES + " frames, the pool says " + frames);
            }
            holder.stub().close();
            holder.remove();
            table.close();
            frames.close();
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            Files.delete(dir);
        }
    }

    /** The baseline: one frame is free. */
    @State(Scope.Thread)
    public static class FreeFrame extends Pool {
        @Override
        int budget() {
            return HOLDER_PAGES + 1;
        }
    }

    /** The holder has every frame: the new file's first read waits for a reclaim. */
    @State(Scope.Thread)
    public static class FullPool extends Pool {
        @Override
        int budget() {
            return HOLDER_PAGES;
        }
    }

    @Benchmark
    public int withAFreeFrame(FreeFrame state) throws IOException {
        return firstRead(state);
    }

    @Benchmark
    public int withAFullPool(FullPool state) throws IOException {
        return firstRead(state);
    }

    /** Opens a new file through a stub, reads its first page, closes it. */
    private static int firstRead(Pool state) throws IOException {
        Entry<FileCacheManager> entry = state.table.register(FileCacheManager.class, new SharedFcm(state.frames));
        try {
            FileCacheManager fcm = entry.stub();
            fcm.open(state.small, FileCacheManager.Mode.READ_ONLY);
            byte[] page = new byte[FileCacheManager.PAGE_SIZE];
            int n = fcm.read(0, page, 0, page.length);
            fcm.close();
            return n;
        } finally {
            entry.remove();
        }
    }
}

package swap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One thread's time spent waiting on a run queue (runnable, not running), in ns, from Linux's
 * {@code /proc/<pid>/task/<tid>/schedstat} (its second field), read through a channel kept open
 * into a buffer kept, so that a reading allocates nothing (the garbage would add collections to
 * what it measures). Thread-safe: the thread itself and another that watches it may read it.
 */
final class RunQueueClock implements AutoCloseable {

    /** Whether the benchmarks diagnose their long waits with these clocks: {@code -Dswap.bench.runqueue=true}. */
    static final boolean DIAGNOSE = Boolean.getBoolean("swap.bench.runqueue");
    private final Path schedstat;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(128);

    private RunQueueClock(Path schedstat) throws IOException {
        this.schedstat = schedstat;
        this.channel = FileChannel.open(schedstat, StandardOpenOption.READ);
    }

    /** The calling thread's clock. */
    static RunQueueClock ofCurrentThread() {
        try {
            return new RunQueueClock(Path.of("/proc/thread-self").toRealPath().resolve("schedstat"));
        } catch (IOException e) {
            throw new IllegalStateException("no /proc/thread-self/schedstat (the run-queue diagnosis needs Linux): " + e.getMessage(), e);
        }
    }

    /** The thread's run-queue wait so far. */
    synchronized long waitedNanos() {
        buffer.clear();
        try {
            while (channel.read(buffer, buffer.position()) > 0) {
                // the whole line: three numbers
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + schedstat + ": " + e.getMessage(), e);
        }
        int i = 0;
        int end = buffer.position();
        while (i < end && buffer.get(i) != ' ') {
            i++; // skip the time on the CPU
        }
        long waited = 0;
        for (i++; i < end && buffer.get(i) >= '0' && buffer.get(i) <= '9'; i++) {
            waited = 10 * waited + (buffer.get(i) - '0');
        }
        return waited;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}

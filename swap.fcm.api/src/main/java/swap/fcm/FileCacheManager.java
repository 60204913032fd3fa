package swap.fcm;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A page cache of one file: K42's File Cache Manager. The file is cached in pages of
 * {@value #PAGE_SIZE} bytes, each held in a {@linkplain FramePool.Frame frame} from a shared
 * {@link FramePool}; reads and writes go through the cached pages, and dirty pages reach the file
 * when they are evicted, on {@link #flush()} and on {@link #close()}.
 *
 * <h2>Life cycle</h2>
 * An instance is made <em>unopened</em> by its implementation's factory, bound to its file once
 * by {@link #open} (the {@link FileCaches} facade does it), used, and {@linkplain #close()
 * closed}. An instance that takes over an open file's state in a hot swap
 * ({@link swap.transfer.Transferable}, canonical format {@link FcmState}) is open from then on and
 * must not be opened again. Every method but {@code open}, {@link #isOpen()}, {@link #file()} and
 * {@code close} throws {@link IllegalStateException} on an unopened or closed instance.
 *
 * <h2>Threads and memory effects</h2>
 * Every method may be called from any thread, concurrently with any other. Reads and writes are
 * atomic with respect to each other page by page, not as a whole: a read that spans pages may
 * see a concurrent write to some of them and not to others. A write to a range happens-before
 * every read that returns the bytes it wrote. How an implementation achieves this (one lock, a
 * lock per representative, ...) is its own business and is documented there.
 *
 * <h2>Bad input</h2>
 * Negative positions or lengths, and ranges outside the array, throw
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}; a write to a file opened
 * read-only throws {@link java.nio.file.AccessDeniedException}; when the pool has no frame left
 * and this instance holds no page it could evict, the call waits for the pool to reclaim a frame
 * from the other caches ({@link FramePool.Account#awaitFrame}), and throws
 * {@link IllegalStateException} if none came (the budget is smaller than one frame per open file).
 * In each case the cache and the file are unchanged.
 */
@ProviderType
public interface FileCacheManager {

    /** The size of a page and of a frame, in bytes. */
    int PAGE_SIZE = 4096;

    /** How a file is opened. */
    enum Mode {
        /** Reads only; writes throw {@link java.nio.file.AccessDeniedException}. */
        READ_ONLY,
        /** Reads and writes; the file must exist (it is never created). */
        READ_WRITE
    }

    /**
     * Binds this unopened instance to {@code file}, which must exist.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be opened in {@code mode}
     * @throws IllegalStateException if this instance is already open, was closed, or has no frame
     *         pool
     */
    void open(Path file, Mode mode) throws IOException;

    /** Whether this instance is open (bound to a file and not closed). */
    boolean isOpen();

    /** The file this instance caches, or {@code null} before {@link #open}. */
    Path file();

    /**
     * Reads up to {@code length} bytes at {@code position} of the file into {@code buffer} at
     * {@code offset}.
     *
     * @return the number of bytes read, {@code 0} if {@code length} is 0, or {@code -1} if
     *         {@code position} is at or past the end of the file
     * @throws IOException if a page cannot be read from the file or a dirty page written back
     */
    int read(long position, byte[] buffer, int offset, int length) throws IOException;

    /**
     * Writes {@code length} bytes of {@code buffer} from {@code offset} at {@code position} of
     * the file, extending it if the range ends past its end (a gap reads as zeros). The bytes are
     * in the cache when the call returns, and on disk after the next {@link #flush()}.
     *
     * @throws java.nio.file.AccessDeniedException if the file was opened read-only
     * @throws IOException if a page cannot be read from the file or a dirty page written back
     */
    void write(long position, byte[] buffer, int offset, int length) throws IOException;

    /** The size of the file in bytes, writes still in the cache included. */
    long size();

    /**
     * Writes every dirty page back to the file, then forces the file to the storage device
     * ({@link java.nio.channels.FileChannel#force(boolean)}). Writes that returned before this
     * call began are durable when it returns.
     */
    void flush() throws IOException;

    /**
     * Gives up to {@code frames} frames back to the pool, evicting the least recently used pages
     * (dirty ones written back first), and keeps at least one page: what the frame pool calls to
     * reclaim frames for a cache that has none ({@link FramePool.Account#reclaimThrough}), on its
     * own thread. Unlike the other methods it returns {@code 0} on an unopened or closed instance,
     * which has nothing to give.
     *
     * @return how many frames were given back
     * @throws IllegalArgumentException if {@code frames < 0}
     * @throws IOException if a dirty page could not be written back: it stays resident and dirty,
     *         the frames given back before stay given
     */
    int trim(int frames) throws IOException;

    /** A snapshot of this instance's counters (counted since it was made or took over the file). */
    FcmStatistics statistics();

    /**
     * Flushes, returns every frame to the pool and closes the file. Idempotent; a failure to flush
     * is thrown after the frames were returned and the file closed.
     */
    void close() throws IOException;
}

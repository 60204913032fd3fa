package swap.fcm.common;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool;
import swap.fcm.FramePool.Frame;

/**
 * Moving pages between a file and frames, and the argument checks every FCM makes. Stateless but
 * for a note of the file systems that refused direct I/O.
 *
 * <p>Direct I/O ({@link FramePool#directIo()}) moves whole pages at page-aligned positions from and
 * to page-aligned frames. The one case that needs care is the file's last page when the file ends
 * inside it: a direct write must be a whole page, so the page is written whole and the file cut
 * back to its size. A file system that refuses direct I/O gets a plain channel (logged once per
 * file store); the whole-page-then-cut write is correct on it too.
 */
public final class PageIo {

    private static final Logger LOG = LoggerFactory.getLogger(PageIo.class);
    private static final int PAGE_SIZE = FileCacheManager.PAGE_SIZE;
    private static final byte[] ZEROS = new byte[PAGE_SIZE];
    /** The file stores that refused O_DIRECT, each logged once. */
    private static final Set<String> REFUSED = ConcurrentHashMap.newKeySet();

    private PageIo() {
    }

    /**
     * Opens {@code path} for reading, and for writing too in {@link FileCacheManager.Mode#READ_WRITE},
     * with direct I/O if {@code direct} and the file system allows it.
     */
    public static FileChannel open(Path path, FileCacheManager.Mode mode, boolean direct) throws IOException {
        OpenOption[] plain = mode == FileCacheManager.Mode.READ_WRITE
                ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new OpenOption[] {StandardOpenOption.READ};
        if (!direct) {
            return FileChannel.open(path, plain);
        }
        OpenOption[] withDirect = Arrays.copyOf(plain, plain.length + 1);
        withDirect[plain.length] = ExtendedOpenOption.DIRECT;
        try {
            return FileChannel.open(path, withDirect);
        } catch (UnsupportedOperationException | IOException refused) {
            FileChannel channel = FileChannel.open(path, plain); // a missing or unreadable file fails here, as without direct I/O
            String store;
            try {
                store = String.valueOf(Files.getFileStore(path));
            } catch (IOException e) {
                store = String.valueOf(path.getParent());
            }
            if (REFUSED.add(store)) {
                LOG.warn("direct I/O refused for {} ({}): files on {} are cached by the operating system too", path, refused, store);
            }
            return channel;
        }
    }

    /**
     * Reads page {@code number} of the file into {@code frame}; zeros past the file's end. One read
     * of the whole page: on a regular file a read returns fewer bytes only at the end of the file.
     */
    public static void fill(FileChannel channel, Frame frame, long number) throws IOException {
        ByteBuffer b = frame.buffer().duplicate();
        b.clear();
        channel.read(b, number * PAGE_SIZE);
        b.put(ZEROS, 0, b.remaining());
    }

    /**
     * Writes page {@code number} from {@code frame} to the file, up to {@code fileSize}; with
     * {@code direct}, a last page the file ends inside is written whole and the file cut back to
     * {@code fileSize}.
     */
    public static void writeBack(FileChannel channel, Frame frame, long number, long fileSize, boolean direct) throws IOException {
        long start = number * PAGE_SIZE;
        int length = (int) Math.max(0, Math.min(PAGE_SIZE, fileSize - start));
        ByteBuffer b = frame.buffer().duplicate();
        b.clear().limit(direct ? PAGE_SIZE : length);
        while (b.hasRemaining()) {
            channel.write(b, start + b.position());
        }
        if (direct && length < PAGE_SIZE) {
            channel.truncate(fileSize);
        }
    }

    /** @throws IllegalArgumentException if {@code position} is negative */
    public static void requireNonNegative(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }
}

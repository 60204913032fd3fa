package swap.fcm.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import swap.fcm.FileCacheManager;
import swap.fcm.FramePool.Frame;

/** Moving pages between a file and frames, and the argument checks every FCM makes. Stateless. */
public final class PageIo {

    private static final int PAGE_SIZE = FileCacheManager.PAGE_SIZE;
    private static final byte[] ZEROS = new byte[PAGE_SIZE];

    private PageIo() {
    }

    /** Opens {@code path} for reading, and for writing too in {@link FileCacheManager.Mode#READ_WRITE}. */
    public static FileChannel open(Path path, FileCacheManager.Mode mode) throws IOException {
        return mode == FileCacheManager.Mode.READ_WRITE
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Reads page {@code number} of the file into {@code frame}; zeros past the file's end. */
    public static void fill(FileChannel channel, Frame frame, long number) throws IOException {
        ByteBuffer b = frame.buffer().duplicate();
        b.clear();
        long start = number * PAGE_SIZE;
        while (b.hasRemaining()) {
            if (channel.read(b, start + b.position()) < 0) {
                break;
            }
        }
        b.put(ZEROS, 0, b.remaining());
    }

    /** Writes page {@code number} from {@code frame} to the file, up to {@code fileSize}. */
    public static void writeBack(FileChannel channel, Frame frame, long number, long fileSize) throws IOException {
        long start = number * PAGE_SIZE;
        ByteBuffer b = frame.buffer().duplicate();
        b.clear().limit((int) Math.max(0, Math.min(PAGE_SIZE, fileSize - start)));
        while (b.hasRemaining()) {
            channel.write(b, start + b.position());
        }
    }

    /** @throws IllegalArgumentException if {@code position} is negative */
    public static void requireNonNegative(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative file position " + position);
        }
    }
}

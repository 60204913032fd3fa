package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import swap.fcm.FileCacheManager;
import swap.fcm.workload.ContentMismatchException;

/**
 * Reads and writes of whole ranges in chunks of a caller's buffer, through a cache (verified) or,
 * to prepare a file, directly. Stateless; each caller brings its own buffer.
 */
final class FileIo {

    /** What a reader does with each verified chunk (grep scans it, cp writes it elsewhere). */
    @FunctionalInterface
    interface Chunks {
        void accept(long position, byte[] buffer, int length) throws IOException;
    }

    private FileIo() {
    }

    /**
     * Reads {@code [position, position + length)} of {@code fcm} in chunks of {@code buffer}, checks
     * every byte against the file's contents and hands each chunk to {@code chunks} (may be null).
     *
     * @return {@code length}
     * @throws ContentMismatchException if a byte is wrong or the read ends early
     */
    static long read(FileCacheManager fcm, Path file, long key, long position, long length, byte[] buffer,
            Chunks chunks) throws IOException {
        for (long done = 0; done < length;) {
            int want = (int) Math.min(buffer.length, length - done);
            long at = position + done;
            int n = fcm.read(at, buffer, 0, want);
            if (n <= 0) {
                throw new ContentMismatchException(file, at, "the read returned " + n + " where " + (length - done)
                        + " more bytes were expected");
            }
            Content.verify(file, key, at, buffer, 0, n);
            if (chunks != null) {
                chunks.accept(at, buffer, n);
            }
            done += n;
        }
        return length;
    }

    /** Writes the file's contents over {@code [position, position + length)} through {@code fcm}, in chunks of {@code buffer}. */
    static void write(FileCacheManager fcm, long key, long position, long length, byte[] buffer) throws IOException {
        for (long done = 0; done < length;) {
            int n = (int) Math.min(buffer.length, length - done);
            Content.fill(key, position + done, buffer, 0, n);
            fcm.write(position + done, buffer, 0, n);
            done += n;
        }
    }

    /**
     * Creates {@code file} with {@code size} bytes of its contents, directly (not through a cache),
     * in chunks of {@code buffer}.
     *
     * @return whether the file is complete ({@code false}: {@code stop} said to stop first)
     */
    static boolean create(Path file, long key, long size, byte[] buffer, BooleanSupplier stop) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size;) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                int n = (int) Math.min(buffer.length, size - done);
                Content.fill(key, done, buffer, 0, n);
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    channel.write(bytes, done + bytes.position());
                }
                done += n;
            }
        }
        return true;
    }

    /** Checks a cache's idea of the file's size. */
    static void checkSize(FileCacheManager fcm, Path file, long expected) throws ContentMismatchException {
        long size = fcm.size();
        if (size != expected) {
            throw new ContentMismatchException(file, Math.min(size, expected), "the cache says the size is " + size
                    + ", the workload wrote " + expected + " bytes");
        }
    }
}

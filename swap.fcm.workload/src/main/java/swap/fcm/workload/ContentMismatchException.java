package swap.fcm.workload;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A read through a cache returned bytes the workload never wrote (or too few, or the file's size
 * is wrong): the cache, or the file under it, is broken. Every workload verifies every byte it
 * reads, because each file's contents are a function of the file and the offset.
 */
public final class ContentMismatchException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file, as the workload knows it. */
    private final transient Path file;
    private final long offset;

    /**
     * @param file the file read
     * @param offset the offset in the file of the first wrong byte (or where the read fell short)
     * @param detail what was wrong there, e.g. {@code "expected 0x1f, read 0x00"}
     */
    public ContentMismatchException(Path file, long offset, String detail) {
        super(file + " at offset " + offset + ": " + detail);
        this.file = file;
        this.offset = offset;
    }

    /** The file read (null after deserialization). */
    public Path file() {
        return file;
    }

    /** The offset in the file of the first wrong byte. */
    public long offset() {
        return offset;
    }
}

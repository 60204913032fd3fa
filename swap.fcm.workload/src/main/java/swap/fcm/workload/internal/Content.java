package swap.fcm.workload.internal;

import java.nio.file.Path;
import swap.fcm.workload.ContentMismatchException;

/**
 * The contents of every file a workload writes: a function of the file's key and the offset, so
 * that any read can be checked without keeping a copy, and rewriting a range with its own bytes
 * (SDET's edits) changes nothing a concurrent reader could see. Stateless and thread-safe.
 */
final class Content {

    /*
     * Byte i of a file is byte (i mod 8) of mix(key + i / 8): one 64-bit mix per 8 bytes. mix is
     * the SplitMix64 finalizer (a bijection with full avalanche), so neighbouring words and files
     * with neighbouring keys look unrelated, and a page written to the wrong offset or file is
     * caught at its first byte with probability 255/256.
     */

    private Content() {
    }

    /** The key of file {@code id} of role {@code role} (e.g. "sdet") in a run seeded {@code seed}. */
    static long key(long seed, String role, long id) {
        return mix(mix(seed ^ role.hashCode()) + id);
    }

    /** The byte at {@code position}. */
    static byte at(long key, long position) {
        return (byte) (mix(key + (position >>> 3)) >>> ((position & 7) << 3));
    }

    /** Fills {@code b[off, off+len)} with the bytes at {@code position} onwards. */
    static void fill(long key, long position, byte[] b, int off, int len) {
        for (int i = 0; i < len;) {
            long at = position + i;
            long word = mix(key + (at >>> 3));
            int first = (int) (at & 7);
            int n = Math.min(8 - first, len - i);
            for (int k = 0; k < n; k++) {
                b[off + i + k] = (byte) (word >>> ((first + k) << 3));
            }
            i += n;
        }
    }

    /**
     * Checks that {@code b[off, off+len)} holds the bytes at {@code position} onwards.
     *
     * @throws ContentMismatchException naming {@code file} and the offset of the first wrong byte
     */
    static void verify(Path file, long key, long position, byte[] b, int off, int len) throws ContentMismatchException {
        for (int i = 0; i < len;) {
            long at = position + i;
            long word = mix(key + (at >>> 3));
            int first = (int) (at & 7);
            int n = Math.min(8 - first, len - i);
            for (int k = 0; k < n; k++) {
                byte expected = (byte) (word >>> ((first + k) << 3));
                if (b[off + i + k] != expected) {
                    throw new ContentMismatchException(file, at + k,
                            String.format("expected 0x%02x, read 0x%02x", expected & 0xff, b[off + i + k] & 0xff));
                }
            }
            i += n;
        }
    }

    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package swap.fcm.workload;

import java.util.List;
import java.util.Objects;
import swap.fcm.workload.internal.FileWorkload;

/**
 * Makes the workloads of the K42 papers' FCM experiments, as real file workloads. Thread-safe (no
 * state); each workload is immutable and may be run any number of times.
 *
 * <p>Every workload verifies every byte it reads (a mismatch throws {@link ContentMismatchException}
 * naming the file and the offset), works in a fresh directory under the scratch parent that it
 * always deletes, and releases every cache it opened. Its files are named by role, so that an
 * {@link FcmOpener} may choose an FCM per file: {@code postmark-<n>}; {@code sdet-<n>} (shared)
 * and {@code sdet-scratch-<n>} (one per script); {@code stream-<n>}.
 */
public final class Workloads {

    /** {@link #postmark}'s name. */
    public static final String POSTMARK = "postmark";
    /** {@link #sdet}'s name. */
    public static final String SDET = "sdet";
    /** {@link #stream}'s name. */
    public static final String STREAM = "stream";
    /** {@link #mixed}'s name. */
    public static final String MIXED = "sdet+stream";

    private Workloads() {
    }

    /**
     * Postmark-like: one thread, many small files. Creates {@code files} files of random sizes in
     * {@code [minSize, maxSize]}, then runs {@code transactions} transactions, each one of {read a
     * whole file, append {@code [minSize, maxSize]} bytes to a file} ({@code readBias} out of 10
     * reads) and one of {create a file, delete a file} ({@code createBias} out of 10 creates), on
     * files chosen uniformly among those that exist (a transaction when none exists only creates
     * one). Everything happens in the calling thread, through the caches: a file's cache is opened
     * when the file is created, kept while it lives, released when it is deleted or at the end.
     * Should the frame pool run dry (an FCM gives frames back only when closed), the least recently
     * used caches are released, as a kernel would reclaim idle files' pages, and opened again when
     * their files are next used. An operation is a transaction; the files' creation is preparation.
     */
    public static Workload postmark(PostmarkParameters parameters) {
        return FileWorkload.postmark(Objects.requireNonNull(parameters, "parameters"));
    }

    /**
     * SDET-like: {@code scripts} threads running {@code commands} commands each over a shared
     * working set of {@code files} files of random sizes in {@code [minSize, maxSize]}, each file's
     * cache opened once and used by all scripts at once (the case the replicated FCM is for). The
     * commands resemble a shell script's (weights out of 100): cat 25 (read the whole file), grep 15
     * (read it, counting a byte value), head 15 (read its first page), stat 15 (its size), cp 15
     * (read it, writing it into the script's own scratch file), edit 15 (rewrite 1 to 512 bytes of
     * it with the bytes it holds, so that the contents stay checkable). Before the scripts start,
     * the shared files are made and their caches warmed. An operation is a command, of any script.
     */
    public static Workload sdet(SdetParameters parameters) {
        return FileWorkload.sdet(Objects.requireNonNull(parameters, "parameters"));
    }

    /**
     * Streaming: {@code streams} threads each reading its own file of {@code fileSize} bytes page by
     * page from start to end, {@code passes} times, the cache of each file opened read-only. An
     * operation is a page read. The files are made before the streams start.
     */
    public static Workload stream(StreamParameters parameters) {
        return FileWorkload.stream(Objects.requireNonNull(parameters, "parameters"));
    }

    /**
     * SDET with streams, at the same time (the papers' adaptive-MRU experiment): the streams start,
     * SDET runs its scripts, and each stream reads its file over and over until SDET is done. The
     * result's operations and time are SDET's (its headline: commands per second under streaming
     * load), with both parts in {@link WorkloadResult#parts()}, SDET first.
     */
    public static Workload mixed(MixedParameters parameters) {
        return FileWorkload.mixed(Objects.requireNonNull(parameters, "parameters"));
    }

    /** The workloads' names, in the order above. */
    public static List<String> names() {
        return List.of(POSTMARK, SDET, STREAM, MIXED);
    }

    /**
     * The workload named {@code name} (see {@link #names()}) with its default parameters, or its
     * quick ones (runs of well under a second or two, for tests and quick benchmark modes).
     *
     * @throws IllegalArgumentException if there is no workload of that name
     */
    public static Workload named(String name, boolean quick) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case POSTMARK -> postmark(quick ? PostmarkParameters.quick() : PostmarkParameters.defaults());
            case SDET -> sdet(quick ? SdetParameters.quick() : SdetParameters.defaults());
            case STREAM -> stream(quick ? StreamParameters.quick() : StreamParameters.defaults());
            case MIXED -> mixed(quick ? MixedParameters.quick() : MixedParameters.defaults());
            default -> throw new IllegalArgumentException("no workload named " + name + "; there are " + names());
        };
    }
}

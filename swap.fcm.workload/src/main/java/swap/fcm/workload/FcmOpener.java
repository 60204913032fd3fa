package swap.fcm.workload;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;
import swap.fcm.FileCacheManager;

/**
 * How a workload opens the cached files it uses: FCM instances made directly (tests, plain
 * benchmarks: {@code (file, mode) -> FileCaches.open(new SharedFcm(pool), file, mode)}), or the stubs
 * of entries made through the swap framework (the shell, swap benchmarks), so that the caches can
 * be swapped while the workload runs.
 *
 * <p>The workloads name their files by role, so that an opener may choose an implementation per
 * file (say the MRU FCM for streams): see {@link Workloads}.
 *
 * <h2>Threads</h2>
 * A workload calls {@link #open} and {@link #release} from the thread that runs it, or from the
 * threads it started (Postmark opens and releases files as it creates and deletes them), one call
 * at a time per run; an opener shared by several runs at once must be thread-safe.
 */
@ConsumerType
@FunctionalInterface
public interface FcmOpener {

    /**
     * An open FCM of {@code file}, which exists.
     *
     * @throws IOException if the file cannot be opened: the workload then fails with this
     *         exception, after releasing everything it had opened and deleting its files
     */
    FileCacheManager open(Path file, FileCacheManager.Mode mode) throws IOException;

    /**
     * Called exactly once for every FCM {@link #open} returned, when the workload is done with it
     * (the file is deleted, or the run ends however it ends): closes it. An opener over the
     * framework also removes the entry. The workload reads the FCM's
     * {@linkplain FileCacheManager#statistics() statistics} just before.
     */
    default void release(FileCacheManager fcm) throws IOException {
        fcm.close();
    }
}

package swap.fcm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import swap.fcm.internal.pool.FramePoolImpl;
import swap.osgi.SwapComponents;
import swap.ott.Entry;

/**
 * Opens cached files: in the container through the swap framework (the caller gets an entry whose
 * stub it uses, and which can be swapped), on a plain class path directly (tests, benchmarks).
 * Thread-safe (no state of its own).
 */
public final class FileCaches {

    private FileCaches() {
    }

    /**
     * Opens {@code file} in a new FCM made by the best {@code fcm} factory that matches
     * {@code filter}, registered in the swap framework. Clients call the entry's
     * {@linkplain Entry#stub() stub}; {@link FileCacheManager#close()} on it closes the file, and
     * the caller then {@linkplain Entry#remove() removes} the entry.
     *
     * <p>The best factory has the highest {@code service.ranking}, then the highest bundle version.
     * The shared FCM's factory ranks 1 and the replicated and MRU ones 0, so without a filter a file
     * is cached by the shared FCM, as in K42, and the policies move it from there.
     *
     * @param filter an LDAP filter over the factories' properties (e.g.
     *        {@code FcmProperties.optimizedFor(FcmProperties.EXCLUSIVE)}), or {@code null} for the best of any
     * @throws IOException if the file cannot be opened: no entry is left behind
     * @throws IllegalArgumentException if no factory matches (see {@link SwapComponents#create})
     */
    public static Entry<FileCacheManager> open(SwapComponents components, Path file, FileCacheManager.Mode mode,
            String filter) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        Entry<FileCacheManager> entry = components.create(FileCacheManager.class, FcmProperties.COMPONENT, filter);
        try {
            entry.stub().open(file, mode);
            return entry;
        } catch (IOException | RuntimeException | Error e) {
            entry.remove();
            throw e;
        }
    }

    /**
     * Opens {@code file} in {@code unopened} directly, without the framework.
     *
     * @return {@code unopened}, now open
     */
    public static FileCacheManager open(FileCacheManager unopened, Path file, FileCacheManager.Mode mode) throws IOException {
        unopened.open(file, mode);
        return unopened;
    }

    /**
     * A frame pool for a plain class path, with a budget of {@code budget} frames.
     *
     * @throws IllegalArgumentException if {@code budget < 1}
     */
    public static FramePool newFramePool(int budget) {
        return newFramePool(budget, false);
    }

    /**
     * A frame pool for a plain class path, with a budget of {@code budget} frames, whose caches
     * use direct I/O if {@code directIo} ({@link FramePool#directIo()}).
     *
     * @throws IllegalArgumentException if {@code budget < 1}
     */
    public static FramePool newFramePool(int budget, boolean directIo) {
        return new FramePoolImpl(budget, directIo);
    }
}

package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FcmStatistics;
import swap.fcm.FileCacheManager;
import swap.fcm.workload.FcmOpener;

/**
 * The caches one part opened and has not released yet, and the statistics of those it released:
 * every FCM the opener returns is released exactly once, with its counters read just before.
 * Thread-safe (one lock over the set and the sums; opening and releasing run outside it).
 */
final class OpenCaches {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCaches.class);

    private final FcmOpener opener;
    private final Object lock = new Object();
    // @GuardedBy("lock") from here on
    private final Set<FileCacheManager> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private long hits;
    private long misses;
    private long evictions;
    private long writeBacks;

    OpenCaches(FcmOpener opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /**
     * Opens {@code file} through the opener and keeps the cache until {@link #release}.
     *
     * @throws IllegalStateException if the opener returned {@code null}, or a cache that is not
     *         open (which is released at once)
     */
    FileCacheManager open(Path file, FileCacheManager.Mode mode) throws IOException {
        FileCacheManager fcm = opener.open(file, mode);
        if (fcm == null) {
            throw new IllegalStateException("the opener " + opener + " returned null for " + file);
        }
        synchronized (lock) {
            open.add(fcm);
        }
        if (!fcm.isOpen()) {
            IllegalStateException e = new IllegalStateException("the opener " + opener + " returned a cache of " + file
                    + " that is not open: " + fcm);
            try {
                release(fcm);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return fcm;
    }

    /**
     * Adds the cache's statistics to the sums and hands it back to the opener. It is released (as
     * far as this part is concerned) even if the opener throws.
     *
     * @throws IllegalStateException if {@code fcm} is not open here (never opened, or released already)
     */
    void release(FileCacheManager fcm) throws IOException {
        synchronized (lock) {
            if (!open.remove(fcm)) {
                throw new IllegalStateException(fcm + " is not open here (released already?)");
            }
        }
        try {
            FcmStatistics s = fcm.statistics();
            synchronized (lock) {
                hits += s.hits;
                misses += s.misses;
                evictions += s.evictions;
                writeBacks += s.writeBacks;
            }
        } catch (RuntimeException e) {
            LOG.warn("no statistics from {} before its release; they are missing from the result", fcm, e);
        }
        opener.release(fcm);
    }

    /** Releases every cache still open; goes on past failures and throws the first at the end (the others suppressed). */
    void releaseAll() throws IOException {
        List<FileCacheManager> all;
        synchronized (lock) {
            all = new ArrayList<>(open);
        }
        Failures failures = new Failures();
        for (FileCacheManager fcm : all) {
            try {
                release(fcm);
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        failures.throwIoOrUnchecked();
    }

    /** Forgets every cache still open without releasing it (a thread that would not end may be inside). */
    void abandon() {
        synchronized (lock) {
            if (!open.isEmpty()) {
                LOG.error("{} caches left open, not released: a thread that would not end may still use them: {}",
                        open.size(), open);
            }
            open.clear();
        }
    }

    int openCount() {
        synchronized (lock) {
            return open.size();
        }
    }

    /** The sums over the released caches: hits, misses, evictions, write-backs. */
    long[] sums() {
        synchronized (lock) {
            return new long[] { hits, misses, evictions, writeBacks };
        }
    }
}

package swap.console.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.workload.FcmOpener;
import swap.osgi.SwapComponents;
import swap.ott.Entry;

/**
 * Opens a workload's files as entries of the swap framework ({@link FileCaches#open(SwapComponents,
 * Path, FileCacheManager.Mode, String)}), so that the FCM policies, and the shell's {@code swap:}
 * commands, can swap their caches while the workload runs. One opener serves one run.
 *
 * <p>Thread-safe: a run opens and releases from its own threads. Each stub handed out is
 * remembered, by identity, with its entry until {@link #release} closes the stub and removes the
 * entry; {@link #releaseLeftovers} does the same for whatever a run did not release (a run
 * abandons the caches of threads that would not end).
 */
final class SwapOpener implements FcmOpener {

    private static final Logger LOG = LoggerFactory.getLogger(SwapOpener.class);

    private final SwapComponents components;
    /** An LDAP filter over the FCM factories' properties, or null for the best of any. */
    private final String filter;
    /** Guarded by itself: the stubs handed out and not yet released, with their entries. */
    private final Map<FileCacheManager, Entry<FileCacheManager>> open = new IdentityHashMap<>();

    SwapOpener(SwapComponents components, String filter) {
        this.components = components;
        this.filter = filter;
    }

    @Override
    public FileCacheManager open(Path file, FileCacheManager.Mode mode) throws IOException {
        Entry<FileCacheManager> entry = FileCaches.open(components, file, mode, filter);
        FileCacheManager stub = entry.stub();
        synchronized (open) {
            open.put(stub, entry);
        }
        return stub;
    }

    @Override
    public void release(FileCacheManager fcm) throws IOException {
        Entry<FileCacheManager> entry;
        synchronized (open) {
            entry = open.remove(fcm);
        }
        if (entry == null) {
            throw new IllegalArgumentException("not a cache of this run, or released already: " + fcm);
        }
        try {
            fcm.close();
        } finally {
            entry.remove(); // the entry goes even if closing failed: nothing of the run stays in the table
        }
    }

    /** Closes and removes every cache not released yet; returns how many there were. Logs what fails. */
    int releaseLeftovers() {
        List<Map.Entry<FileCacheManager, Entry<FileCacheManager>>> left;
        synchronized (open) {
            left = new ArrayList<>(open.entrySet());
        }
        for (Map.Entry<FileCacheManager, Entry<FileCacheManager>> e : left) {
            try {
                release(e.getKey());
            } catch (IOException | RuntimeException failure) {
                LOG.warn("could not release the workload's cache {}", e.getValue().id(), failure);
            }
        }
        return left.size();
    }
}

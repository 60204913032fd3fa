package swap.fcm.workload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCaches;
import swap.fcm.FramePool;

/**
 * An opener over directly made FCMs of one implementation that records what it opened and
 * released, may fail its Nth open or its first release, and may wrap each FCM (to watch or break
 * it). Thread-safe.
 */
final class RecordingOpener implements FcmOpener {

    private final FramePool pool;
    private final Fcms fcms;
    private UnaryOperator<FileCacheManager> wrap = UnaryOperator.identity();
    private int failAtOpen;
    private boolean failFirstRelease;

    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final Set<FileCacheManager> open = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    RecordingOpener(FramePool pool, Fcms fcms) {
        this.pool = pool;
        this.fcms = fcms;
    }

    /** Its {@code n}th open (counting from 1) throws an IOException. */
    RecordingOpener failingAtOpen(int n) {
        this.failAtOpen = n;
        return this;
    }

    /** Its first release closes the FCM, then throws an IOException. */
    RecordingOpener failingFirstRelease() {
        this.failFirstRelease = true;
        return this;
    }

    RecordingOpener wrapping(UnaryOperator<FileCacheManager> wrap) {
        this.wrap = wrap;
        return this;
    }

    @Override
    public FileCacheManager open(Path file, FileCacheManager.Mode mode) throws IOException {
        int n = opens.incrementAndGet();
        if (n == failAtOpen) {
            throw new IOException("open number " + n + " fails, as the test asked (" + file.getFileName() + ")");
        }
        FileCacheManager fcm = wrap.apply(FileCaches.open(fcms.unopened(pool), file, mode));
        open.add(fcm);
        opened.incrementAndGet();
        maxOpen.accumulateAndGet(open.size(), Math::max);
        return fcm;
    }

    @Override
    public void release(FileCacheManager fcm) throws IOException {
        if (!open.remove(fcm)) {
            throw new AssertionError("released twice, or never opened here: " + fcm);
        }
        int n = releases.incrementAndGet();
        fcm.close();
        if (failFirstRelease && n == 1) {
            throw new IOException("release number 1 fails, as the test asked");
        }
    }

    /** Successful opens. */
    int opened() {
        return opened.get();
    }

    int released() {
        return releases.get();
    }

    int stillOpen() {
        return open.size();
    }

    /** The most caches open at once. */
    int maxOpen() {
        return maxOpen.get();
    }

    @Override
    public String toString() {
        return "recording opener of " + fcms;
    }
}

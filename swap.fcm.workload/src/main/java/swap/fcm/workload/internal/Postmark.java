package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.workload.PostmarkParameters;

/**
 * The Postmark-like part: many small files, created, read, appended to and deleted by one thread
 * (the run's calling thread), each file's cache open while the file lives. Not thread-safe: one
 * thread does everything.
 */
final class Postmark extends Part {

    /*
     * Files: `live` holds the files that exist (a transaction picks one uniformly; deletion swaps
     * the last one into the hole). A file's cache is opened when the file is created (or first
     * used again, below) and released when it is deleted or at the end, as a kernel keeps a file's
     * pages while the file is open.
     *
     * Frame pressure: the frame pool takes frames back from caches that hold more than one, but
     * never a cache's last frame, so with more caches open than the budget has frames a cache that
     * holds no frame yet cannot take its first page and throws IllegalStateException. Postmark
     * then does what a kernel would do with idle open files' last pages: it releases the least
     * recently used quarter of the other open caches (their dirty pages are written back on
     * close) and retries the operation, which is safe because a cache that holds no frame changed
     * nothing, and writing a file's contents again is idempotent. A released file's cache is
     * opened again when the file is next used. `cached` orders the open caches by use.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Postmark.class);

    /** One file: its contents are Content.key(seed, "postmark", id) over [0, size). */
    private static final class PostmarkFile {
        final int id;
        final Path path;
        final long key;
        long size;
        /** Null while released. */
        FileCacheManager cache;
        /** The file's index in `live`. */
        int index;

        PostmarkFile(int id, Path path, long key) {
            this.id = id;
            this.path = path;
            this.key = key;
        }
    }

    /** An operation on a file's cache, retried after a reclaim. */
    @FunctionalInterface
    private interface CacheOperation {
        void apply(FileCacheManager fcm) throws IOException;
    }

    private final PostmarkParameters p;
    private final SplittableRandom random;
    private final byte[] buffer = new byte[CHUNK];
    private final List<PostmarkFile> live = new ArrayList<>();
    /** The files whose cache is open, least recently used first. */
    private final LinkedHashMap<Integer, PostmarkFile> cached = new LinkedHashMap<>(16, 0.75f, true);
    private Scratch scratch;
    private int nextId;
    private long reclaimed;

    Postmark(PostmarkParameters p, RunContext run) {
        super("postmark", run, true);
        this.p = p;
        this.random = new SplittableRandom(p.seed());
    }

    @Override
    long planned() {
        return p.transactions();
    }

    @Override
    void prepare() throws IOException {
        scratch = makeScratch();
        for (int i = 0; i < p.files() && !run.stopRequested(); i++) {
            create();
        }
    }

    @Override
    void execute(Crew crew) throws IOException {
        for (int t = 0; t < p.transactions() && !run.stopRequested(); t++) {
            transaction();
            done();
        }
        if (reclaimed > 0) {
            LOG.debug("postmark released {} idle caches under frame-pool pressure", reclaimed);
        }
    }

    /** Read or append, then create or delete (Postmark's transaction); only a create if no file is left. */
    private void transaction() throws IOException {
        if (live.isEmpty()) {
            create();
            return;
        }
        PostmarkFile f = pick();
        if (random.nextInt(10) < p.readBias()) {
            readWhole(f);
        } else {
            append(f);
        }
        if (random.nextInt(10) < p.createBias()) {
            create();
        } else {
            delete(pick());
        }
    }

    private PostmarkFile pick() {
        return live.get(random.nextInt(live.size()));
    }

    private int randomSize() {
        return random.nextInt(p.minSize(), p.maxSize() + 1);
    }

    private void create() throws IOException {
        int id = nextId++;
        PostmarkFile f = new PostmarkFile(id, scratch.file("postmark-" + id), Content.key(p.seed(), "postmark", id));
        int size = randomSize();
        Files.createFile(f.path);
        f.index = live.size();
        live.add(f);
        withCache(f, fcm -> FileIo.write(fcm, f.key, 0, size, buffer));
        f.size = size;
        bytesWritten.add(size);
    }

    private void readWhole(PostmarkFile f) throws IOException {
        withCache(f, fcm -> {
            FileIo.checkSize(fcm, f.path, f.size);
            FileIo.read(fcm, f.path, f.key, 0, f.size, buffer, null);
        });
        bytesRead.add(f.size);
    }

    private void append(PostmarkFile f) throws IOException {
        int length = randomSize();
        withCache(f, fcm -> FileIo.write(fcm, f.key, f.size, length, buffer));
        f.size += length;
        bytesWritten.add(length);
    }

    private void delete(PostmarkFile f) throws IOException {
        if (f.cache != null) {
            release(f);
        }
        Files.delete(f.path);
        PostmarkFile last = live.remove(live.size() - 1);
        if (last != f) {
            last.index = f.index;
            live.set(f.index, last);
        }
    }

    /** Applies {@code operation} to the file's cache (opened if released), reclaiming idle caches while the pool is exhausted. */
    private void withCache(PostmarkFile f, CacheOperation operation) throws IOException {
        for (;;) {
            FileCacheManager fcm = cacheOf(f);
            try {
                operation.apply(fcm);
                return;
            } catch (IllegalStateException e) {
                if (!starved(fcm) || reclaim(f) == 0) {
                    throw e;
                }
            }
        }
    }

    private FileCacheManager cacheOf(PostmarkFile f) throws IOException {
        if (f.cache == null) {
            f.cache = caches.open(f.path, Mode.READ_WRITE);
            cached.put(f.id, f);
        } else {
            cached.get(f.id); // most recently used now
        }
        return f.cache;
    }

    /** Whether an exception of {@code fcm} came from the frame pool: the cache is open and holds no frame. */
    private static boolean starved(FileCacheManager fcm) {
        return fcm.isOpen() && fcm.statistics().framesHeld == 0;
    }

    /** Releases the least recently used quarter (at least one) of the open caches other than {@code f}'s; how many. */
    private int reclaim(PostmarkFile f) throws IOException {
        int target = Math.max(1, cached.size() / 4);
        List<PostmarkFile> victims = new ArrayList<>(target);
        for (Iterator<PostmarkFile> it = cached.values().iterator(); it.hasNext() && victims.size() < target;) {
            PostmarkFile v = it.next();
            if (v != f) {
                victims.add(v);
            }
        }
        for (PostmarkFile v : victims) {
            release(v);
        }
        reclaimed += victims.size();
        return victims.size();
    }

    private void release(PostmarkFile f) throws IOException {
        cached.remove(f.id);
        FileCacheManager fcm = f.cache;
        f.cache = null;
        caches.release(fcm);
    }
}

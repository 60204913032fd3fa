package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.Path;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.workload.StreamParameters;

/**
 * The streaming part: each stream a thread reading its own large file page by page from start to
 * end, {@code passes} times, or (beside SDET) over and over until halted. The calling thread
 * prepares and cleans up.
 */
final class Streams extends Part {

    /*
     * Each stream's file is made directly with its contents (1 MiB at a time; a stop is honoured
     * between chunks), opened read-only, and its first page read, so that its cache holds a frame
     * before anything starts (see Sdet). A read of one page is one operation; every page is
     * verified. A stream's reads are sequential, which is what the MRU FCM is for: an LRU cache
     * lets a stream take every free frame of the pool, pages it will not read again.
     */

    private static final int PAGE = FileCacheManager.PAGE_SIZE;
    private static final int CREATE_CHUNK = 1 << 20;

    private final StreamParameters p;
    private final boolean untilHalted;
    private final long pages;
    /** Written by prepare() before the threads start. */
    private Path[] paths;
    private FileCacheManager[] streamCaches;

    /** @param untilHalted read over and over until halted (beside SDET), not {@code passes} times */
    Streams(StreamParameters p, RunContext run, boolean headline, boolean untilHalted) {
        super("stream", run, headline);
        this.p = p;
        this.untilHalted = untilHalted;
        this.pages = (p.fileSize() + PAGE - 1) / PAGE;
    }

    @Override
    long planned() {
        if (untilHalted) {
            return -1;
        }
        try {
            return Math.multiplyExact(Math.multiplyExact((long) p.streams(), p.passes()), pages);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // as good as until stopped
        }
    }

    @Override
    void prepare() throws IOException {
        Scratch scratch = makeScratch();
        byte[] chunk = new byte[CREATE_CHUNK];
        byte[] page = new byte[PAGE];
        Path[] made = new Path[p.streams()];
        FileCacheManager[] opened = new FileCacheManager[p.streams()];
        for (int s = 0; s < made.length; s++) {
            made[s] = scratch.file("stream-" + s);
            if (!FileIo.create(made[s], key(s), p.fileSize(), chunk, run::stopRequested)) {
                return;
            }
            opened[s] = caches.open(made[s], Mode.READ_ONLY);
            bytesRead.add(FileIo.read(opened[s], made[s], key(s), 0, Math.min(PAGE, p.fileSize()), page, null));
        }
        paths = made;
        streamCaches = opened;
    }

    @Override
    void execute(Crew crew) {
        for (int s = 0; s < p.streams(); s++) {
            int stream = s;
            crew.start("stream-" + s, () -> stream(stream));
        }
    }

    private long key(int stream) {
        return Content.key(p.seed(), "stream", stream);
    }

    private void stream(int stream) throws IOException {
        FileCacheManager fcm = streamCaches[stream];
        Path path = paths[stream];
        long key = key(stream);
        byte[] page = new byte[PAGE];
        for (int pass = 0; untilHalted || pass < p.passes(); pass++) {
            for (long at = 0; at < p.fileSize(); at += PAGE) {
                if (shouldStop()) {
                    return;
                }
                bytesRead.add(FileIo.read(fcm, path, key, at, Math.min(PAGE, p.fileSize() - at), page, null));
                done();
            }
        }
    }
}

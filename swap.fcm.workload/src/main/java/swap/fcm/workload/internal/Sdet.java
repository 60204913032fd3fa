package swap.fcm.workload.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import swap.fcm.FileCacheManager;
import swap.fcm.FileCacheManager.Mode;
import swap.fcm.workload.SdetParameters;

/**
 * The SDET-like part: concurrent scripts of shell-like commands over one shared working set of
 * files, each file's cache opened once and used by every script at once. The calling thread
 * prepares and cleans up; each script is a thread of its own.
 */
final class Sdet extends Part {

    /*
     * Working set: `files` shared files, made directly (not through a cache) with their contents,
     * then opened read-write, each by one cache that every script uses: several threads are inside
     * one FCM at once, which is what the replicated FCM is for. Before the scripts start, every
     * cache is warmed in two rounds: the first page of every file (so that each cache holds a
     * frame before any of them can take the whole pool: a cache that holds a frame never fails for
     * want of one, it replaces its own), then the rest of every file.
     *
     * A script's commands (weights out of 100, fixed; each picks a shared file uniformly):
     *   cat 25   read the whole file
     *   grep 15  read the whole file, counting one byte value
     *   head 15  read the first page
     *   stat 15  the file's size (checked)
     *   cp 15    read the whole file, writing each chunk into the script's own scratch file
     *   edit 15  write a small range (1 to 512 bytes) with the bytes it already holds
     * Every byte read is verified. An edit writes the file's own contents back, so a reader that
     * sees the edit half done still reads the right bytes: the contents never change, and every
     * read stays checkable, while the cache still sees writes and dirty pages.
     */

    /** The commands of a script, with their weights out of 100. */
    enum Command {
        CAT(25), GREP(15), HEAD(15), STAT(15), CP(15), EDIT(15);

        final int weight;

        Command(int weight) {
            this.weight = weight;
        }

        private static final Command[] BY_PERCENT = new Command[100];

        static {
            int at = 0;
            for (Command c : values()) {
                for (int i = 0; i < c.weight; i++) {
                    BY_PERCENT[at++] = c;
                }
            }
            if (at != 100) {
                throw new AssertionError("command weights add up to " + at);
            }
        }

        static Command forPercent(int percent) {
            return BY_PERCENT[percent];
        }
    }

    /** The most bytes an edit writes. */
    static final int MAX_EDIT = 512;

    /** A shared file: contents Content.key(seed, "sdet", i) over [0, size); written once, then read-only for the array. */
    private record SharedFile(Path path, long key, long size, FileCacheManager cache) {
    }

    private final SdetParameters p;
    /** What grep found, over all scripts (kept so that its scan is not dead code). */
    private final LongAdder matches = new LongAdder();
    /** Written by prepare() in the calling thread before the scripts start (Thread.start orders it before them). */
    private SharedFile[] files;
    private FileCacheManager[] scratchCaches;
    private Path[] scratchPaths;

    Sdet(SdetParameters p, RunContext run) {
        super("sdet", run, true);
        this.p = p;
    }

    @Override
    long planned() {
        return (long) p.scripts() * p.commands();
    }

    @Override
    void prepare() throws IOException {
        Scratch scratch = makeScratch();
        SplittableRandom random = new SplittableRandom(p.seed());
        byte[] buffer = new byte[CHUNK];
        SharedFile[] made = new SharedFile[p.files()];
        for (int i = 0; i < made.length; i++) {
            if (run.stopRequested()) {
                return;
            }
            Path path = scratch.file("sdet-" + i);
            long key = Content.key(p.seed(), "sdet", i);
            long size = random.nextInt(p.minSize(), p.maxSize() + 1);
            if (!FileIo.create(path, key, size, buffer, run::stopRequested)) {
                return;
            }
            made[i] = new SharedFile(path, key, size, caches.open(path, Mode.READ_WRITE));
        }
        for (SharedFile f : made) { // warm: a frame for every cache first
            bytesRead.add(FileIo.read(f.cache, f.path, f.key, 0, Math.min(FileCacheManager.PAGE_SIZE, f.size), buffer, null));
        }
        for (SharedFile f : made) { // then the rest
            if (run.stopRequested()) {
                return;
            }
            if (f.size > FileCacheManager.PAGE_SIZE) {
                bytesRead.add(FileIo.read(f.cache, f.path, f.key, FileCacheManager.PAGE_SIZE,
                        f.size - FileCacheManager.PAGE_SIZE, buffer, null));
            }
        }
        scratchCaches = new FileCacheManager[p.scripts()];
        scratchPaths = new Path[p.scripts()];
        for (int s = 0; s < p.scripts(); s++) {
            scratchPaths[s] = scratch.file("sdet-scratch-" + s);
            Files.createFile(scratchPaths[s]);
            scratchCaches[s] = caches.open(scratchPaths[s], Mode.READ_WRITE);
            // a page of its own before the scripts start (see the warming above)
            FileIo.write(scratchCaches[s], Content.key(p.seed(), "sdet-scratch", s), 0, FileCacheManager.PAGE_SIZE, buffer);
            bytesWritten.add(FileCacheManager.PAGE_SIZE);
        }
        files = made;
    }

    @Override
    void execute(Crew crew) {
        for (int s = 0; s < p.scripts(); s++) {
            int script = s;
            crew.start("sdet-script-" + s, () -> script(script));
        }
    }

    /** One script: its commands, each verified, until done or halted. */
    private void script(int script) throws IOException {
        SplittableRandom random = new SplittableRandom(Content.key(p.seed(), "sdet-script", script));
        byte[] buffer = new byte[CHUNK];
        long found = 0;
        for (int c = 0; c < p.commands(); c++) {
            if (shouldStop()) {
                return;
            }
            Command command = Command.forPercent(random.nextInt(100));
            SharedFile f = files[random.nextInt(files.length)];
            found += run(command, f, script, random, buffer);
            done();
        }
        matches.add(found);
    }

    /** Runs one command on {@code f}; returns what grep found (0 for the others). */
    private long run(Command command, SharedFile f, int script, SplittableRandom random, byte[] buffer) throws IOException {
        switch (command) {
            case CAT -> bytesRead.add(FileIo.read(f.cache, f.path, f.key, 0, f.size, buffer, null));
            case GREP -> {
                byte wanted = (byte) random.nextInt(256);
                long[] count = new long[1];
                bytesRead.add(FileIo.read(f.cache, f.path, f.key, 0, f.size, buffer, (at, b, n) -> {
                    for (int i = 0; i < n; i++) {
                        if (b[i] == wanted) {
                            count[0]++;
                        }
                    }
                }));
                return count[0];
            }
            case HEAD -> bytesRead.add(FileIo.read(f.cache, f.path, f.key, 0, Math.min(FileCacheManager.PAGE_SIZE, f.size),
                    buffer, null));
            case STAT -> FileIo.checkSize(f.cache, f.path, f.size);
            case CP -> {
                FileCacheManager target = scratchCaches[script];
                bytesRead.add(FileIo.read(f.cache, f.path, f.key, 0, f.size, buffer,
                        (at, b, n) -> target.write(at, b, 0, n)));
                bytesWritten.add(f.size);
            }
            case EDIT -> {
                long at = random.nextLong(f.size);
                int length = (int) Math.min(1 + random.nextInt(MAX_EDIT), f.size - at);
                FileIo.write(f.cache, f.key, at, length, buffer);
                bytesWritten.add(length);
            }
            default -> throw new IllegalStateException("no such command: " + command);
        }
        return 0;
    }
}

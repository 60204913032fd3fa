package swap.fcm.workload;

/**
 * The parameters of the streaming workload (see {@link Workloads#stream}).
 *
 * @param streams concurrent streams, one thread and one file each (1 to 1024)
 * @param fileSize the size of each stream's file in bytes (1 to 1 TiB)
 * @param passes how many times each stream reads its file from start to end (at least 1; SDET with
 *        streams ignores it: there a stream reads until SDET is done)
 * @param seed the seed of the files' contents
 */
public record StreamParameters(int streams, long fileSize, int passes, long seed) {

    /** @throws IllegalArgumentException naming the first parameter out of range, and its value */
    public StreamParameters {
        Checks.range("streams", streams, 1, Checks.MAX_THREADS);
        Checks.range("fileSize", fileSize, 1, 1L << 40);
        Checks.range("passes", passes, 1, Integer.MAX_VALUE);
    }

    /** One stream reading a 16 MiB file once, seed 42. */
    public static StreamParameters defaults() {
        return new StreamParameters(1, 16L << 20, 1, 42);
    }

    /** A short run for tests and benchmarks' quick mode: one stream reading a 1 MiB file once. */
    public static StreamParameters quick() {
        return defaults().withFileSize(1L << 20);
    }

    public StreamParameters withStreams(int streams) {
        return new StreamParameters(streams, fileSize, passes, seed);
    }

    public StreamParameters withFileSize(long fileSize) {
        return new StreamParameters(streams, fileSize, passes, seed);
    }

    public StreamParameters withPasses(int passes) {
        return new StreamParameters(streams, fileSize, passes, seed);
    }

    public StreamParameters withSeed(long seed) {
        return new StreamParameters(streams, fileSize, passes, seed);
    }

    /** One line naming every parameter, e.g. {@code streams=1 fileSize=16777216 passes=1 seed=42}. */
    public String describe() {
        return "streams=" + streams + " fileSize=" + fileSize + " passes=" + passes + " seed=" + seed;
    }
}

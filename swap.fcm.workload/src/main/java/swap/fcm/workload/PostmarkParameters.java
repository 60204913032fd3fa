package swap.fcm.workload;

/**
 * The parameters of the Postmark-like workload (see {@link Workloads#postmark}).
 *
 * @param files files created before the transactions (at least 0)
 * @param minSize smallest size of a created file, and of an append, in bytes (at least 1)
 * @param maxSize largest size of a created file, and of an append, in bytes (at least {@code minSize}, at most 1 GiB)
 * @param transactions transactions after the files were created (at least 0)
 * @param readBias out of 10: how often a transaction reads a whole file rather than appending to one
 * @param createBias out of 10: how often a transaction creates a file rather than deleting one
 * @param seed the seed of every random choice: equal parameters, equal runs
 */
public record PostmarkParameters(int files, int minSize, int maxSize, int transactions, int readBias, int createBias,
        long seed) {

    /** @throws IllegalArgumentException naming the first parameter out of range, and its value */
    public PostmarkParameters {
        Checks.range("files", files, 0, Integer.MAX_VALUE);
        Checks.sizes("minSize", minSize, "maxSize", maxSize);
        Checks.range("transactions", transactions, 0, Integer.MAX_VALUE);
        Checks.range("readBias", readBias, 0, 10);
        Checks.range("createBias", createBias, 0, 10);
    }

    /** The papers' run: 1000 files of 128 B to 8 KB, 10,000 transactions, even biases, seed 42. */
    public static PostmarkParameters defaults() {
        return new PostmarkParameters(1000, 128, 8192, 10_000, 5, 5, 42);
    }

    /** The papers' larger run: 10,000 files of 512 B to 16 KB, 50,000 transactions, the rest as {@link #defaults()}. */
    public static PostmarkParameters large() {
        return defaults().withFiles(10_000).withSizes(512, 16_384).withTransactions(50_000);
    }

    /** A short run for tests and benchmarks' quick mode: 100 files, 500 transactions, the rest as {@link #defaults()}. */
    public static PostmarkParameters quick() {
        return defaults().withFiles(100).withTransactions(500);
    }

    public PostmarkParameters withFiles(int files) {
        return new PostmarkParameters(files, minSize, maxSize, transactions, readBias, createBias, seed);
    }

    public PostmarkParameters withSizes(int minSize, int maxSize) {
        return new PostmarkParameters(files, minSize, maxSize, transactions, readBias, createBias, seed);
    }

    public PostmarkParameters withTransactions(int transactions) {
        return new PostmarkParameters(files, minSize, maxSize, transactions, readBias, createBias, seed);
    }

    public PostmarkParameters withBiases(int readBias, int createBias) {
        return new PostmarkParameters(files, minSize, maxSize, transactions, readBias, createBias, seed);
    }

    public PostmarkParameters withSeed(long seed) {
        return new PostmarkParameters(files, minSize, maxSize, transactions, readBias, createBias, seed);
    }

    /** One line naming every parameter, e.g. {@code files=1000 minSize=128 maxSize=8192 ...}. */
    public String describe() {
        return "files=" + files + " minSize=" + minSize + " maxSize=" + maxSize + " transactions=" + transactions
                + " readBias=" + readBias + " createBias=" + createBias + " seed=" + seed;
    }
}

package swap.fcm.workload;

/**
 * The parameters of the SDET-like workload (see {@link Workloads#sdet}).
 *
 * @param scripts concurrent scripts, one thread each (1 to 1024)
 * @param files files of the shared working set (at least 1)
 * @param minSize smallest size of a shared file in bytes (at least 1)
 * @param maxSize largest size of a shared file in bytes (at least {@code minSize}, at most 1 GiB)
 * @param commands commands each script runs (at least 0)
 * @param seed the seed of every random choice (each script's choices follow from it and the script's number)
 */
public record SdetParameters(int scripts, int files, int minSize, int maxSize, int commands, long seed) {

    /** @throws IllegalArgumentException naming the first parameter out of range, and its value */
    public SdetParameters {
        Checks.range("scripts", scripts, 1, Checks.MAX_THREADS);
        Checks.range("files", files, 1, Integer.MAX_VALUE);
        Checks.sizes("minSize", minSize, "maxSize", maxSize);
        Checks.range("commands", commands, 0, Integer.MAX_VALUE);
    }

    /** 4 scripts of 2000 commands each over 64 shared files of 4 to 64 KB, seed 42. */
    public static SdetParameters defaults() {
        return new SdetParameters(4, 64, 4096, 65536, 2000, 42);
    }

    /** A short run for tests and benchmarks' quick mode: 2 scripts of 200 commands over 16 files of 4 to 16 KB. */
    public static SdetParameters quick() {
        return new SdetParameters(2, 16, 4096, 16384, 200, 42);
    }

    public SdetParameters withScripts(int scripts) {
        return new SdetParameters(scripts, files, minSize, maxSize, commands, seed);
    }

    public SdetParameters withFiles(int files) {
        return new SdetParameters(scripts, files, minSize, maxSize, commands, seed);
    }

    public SdetParameters withSizes(int minSize, int maxSize) {
        return new SdetParameters(scripts, files, minSize, maxSize, commands, seed);
    }

    public SdetParameters withCommands(int commands) {
        return new SdetParameters(scripts, files, minSize, maxSize, commands, seed);
    }

    public SdetParameters withSeed(long seed) {
        return new SdetParameters(scripts, files, minSize, maxSize, commands, seed);
    }

    /** One line naming every parameter, e.g. {@code scripts=4 files=64 minSize=4096 ...}. */
    public String describe() {
        return "scripts=" + scripts + " files=" + files + " minSize=" + minSize + " maxSize=" + maxSize + " commands="
                + commands + " seed=" + seed;
    }
}

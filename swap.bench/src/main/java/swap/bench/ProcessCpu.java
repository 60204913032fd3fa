package swap.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * This process's CPU time in ns, all threads together (the JIT's and the collector's too), from
 * Linux's {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through JNA: exact to the nanosecond,
 * where the JDK's process CPU time comes in clock ticks. For {@link NullSwapLatency}'s run-queue
 * diagnosis: what the other threads of the JVM ran while a caller waited for its CPU. Not
 * thread-safe (one buffer); the swapping thread alone reads it.
 */
final class ProcessCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;

    static {
        Native.register(ProcessCpu.class, NativeLibrary.getInstance("c"));
    }

    /** A {@code struct timespec} on 64-bit Linux: seconds, nanoseconds. */
    private final long[] timespec = new long[2];

    private static native int clock_gettime(int clock, long[] timespec);

    /** The process's CPU time so far. */
    long nanos() {
        if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, timespec) != 0) {
            throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }
        return timespec[0] * 1_000_000_000L + timespec[1];
    }
}

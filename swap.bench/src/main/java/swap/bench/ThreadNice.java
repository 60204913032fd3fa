package swap.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The calling thread's nice value on Linux, through JNA: {@code setpriority(PRIO_PROCESS, 0, n)},
 * which on Linux sets the nice value of the calling thread only (nice is per thread under
 * NPTL). For {@link LivePatchUnderLoad}'s {@code swap.bench.updaterNice} diagnosis: threads the
 * updater starts later inherit its value, so it lowers its own priority only after starting the
 * callers, and raises it back (which needs {@code CAP_SYS_NICE} or a fitting {@code RLIMIT_NICE})
 * before the next load starts its callers.
 */
final class ThreadNice {
    private static final int PRIO_PROCESS = 0;

    static {
        Native.register(ThreadNice.class, NativeLibrary.getInstance("c"));
    }

    private ThreadNice() {
    }

    private static native int setpriority(int which, int who, int prio) throws LastErrorException;

    /** Sets the calling thread's nice value; a clear exception if the kernel refuses it. */
    static void set(int nice) {
        try {
            setpriority(PRIO_PROCESS, 0, nice);
        } catch (LastErrorException e) {
            throw new IllegalStateException("cannot set this thread's nice value to " + nice + " (errno " + e.getErrorCode()
                    + "; going back down needs CAP_SYS_NICE): leave swap.bench.updaterNice unset", e);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("swap.bench.updaterNice needs Linux's setpriority: " + e.getMessage(), e);
        }
    }
}

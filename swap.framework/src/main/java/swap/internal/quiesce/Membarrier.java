package swap.internal.quiesce;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * Linux's {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)} through JNA: a full memory
 * barrier executed on every CPU that is running a thread of this process, before the call
 * returns (an IPI to each; a thread not running passes a context switch, itself a full barrier).
 * It lets callers go without a fence and the rare flipper pay for ordering instead
 * (userspace RCU's "memb" flavour).
 *
 * <p>Loaded only by {@link Fences}, and only if JNA can be loaded; every failure to find, load or
 * register it means "not available", never an error.
 */
final class Membarrier {

    private static final int CMD_QUERY = 0;
    private static final int CMD_PRIVATE_EXPEDITED = 1 << 3;
    private static final int CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;

    private static final long SYSCALL = syscallNumber();

    static {
        if (SYSCALL > 0) {
            Native.register(Membarrier.class, NativeLibrary.getInstance("c"));
        }
    }

    private Membarrier() {
    }

    private static native int syscall(long number, int command, int flags);

    private static long syscallNumber() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return -1;
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> 324;
            case "aarch64", "arm64", "riscv64" -> 283;
            default -> -1;
        };
    }

    /** Registers this process for expedited private barriers; {@code false} if the kernel cannot. */
    static boolean register() {
        if (SYSCALL <= 0) {
            return false;
        }
        int supported = syscall(SYSCALL, CMD_QUERY, 0);
        if (supported < 0 || (supported & CMD_PRIVATE_EXPEDITED) == 0 || (supported & CMD_REGISTER_PRIVATE_EXPEDITED) == 0) {
            return false;
        }
        return syscall(SYSCALL, CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0;
    }

    /** Runs the barrier; {@code false} if the kernel refused it. */
    static boolean barrier() {
        return syscall(SYSCALL, CMD_PRIVATE_EXPEDITED, 0) == 0;
    }
}

package swap.itest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits for conditions that other threads (the framework, FileInstall, a process) make true. */
final class Await {

    /** How long integration tests wait for the container to react. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /**
     * Returns once the framework of {@code context} reached
     * {@link ContainerOptions#FRAMEWORK_START_LEVEL} (every bundle started); bounded. Runs in the probe.
     */
    static void startLevel(org.osgi.framework.BundleContext context) {
        org.osgi.framework.startlevel.FrameworkStartLevel fsl =
                context.getBundle(0).adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class);
        until("framework start level " + ContainerOptions.FRAMEWORK_START_LEVEL,
                () -> fsl.getStartLevel() >= ContainerOptions.FRAMEWORK_START_LEVEL, () -> "start level " + fsl.getStartLevel());
    }

    /**
     * Returns once {@code condition} holds; fails with {@code state}'s description if it does not
     * within {@link #TIMEOUT}.
     */
    static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what
                        + "; state: " + state.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}

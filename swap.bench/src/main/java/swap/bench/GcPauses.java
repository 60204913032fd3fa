package swap.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The collectors' stop-the-world pauses while it listens, as {@link System#nanoTime()} intervals
 * (to within a few milliseconds: the JVM reports them in milliseconds since a start of its own),
 * from the platform's garbage collection notifications. Collectors that report concurrent cycles
 * rather than pauses ("Cycles", "Concurrent" in their names) are left out. The collectors' clock
 * starts some tens of milliseconds away from {@code RuntimeMXBean.getUptime()}'s (25 ms here), so
 * the constructor finds its origin from a collection it asks for ({@link System#gc()}) between two
 * readings of {@code nanoTime}. Thread-safe.
 */
final class GcPauses implements AutoCloseable {

    private final List<long[]> pauses = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final long nanosAtUptimeZero;
    private final NotificationListener listener = this::collected;

    GcPauses() {
        nanosAtUptimeZero = collectorClockOrigin();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName().toLowerCase(Locale.ROOT);
            if (gc instanceof NotificationEmitter emitter && !name.contains("cycles") && !name.contains("concurrent")) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** The {@code nanoTime} at the collectors' time 0: a collection's middle set on the middle of the call that made it. */
    private static long collectorClockOrigin() {
        List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
        long[] counts = beans.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).toArray();
        long before = System.nanoTime();
        System.gc();
        long after = System.nanoTime();
        for (int i = 0; i < beans.size(); i++) {
            if (beans.get(i).getCollectionCount() != counts[i] && beans.get(i) instanceof com.sun.management.GarbageCollectorMXBean gc
                    && gc.getLastGcInfo() != null) {
                GcInfo info = gc.getLastGcInfo();
                return (before + after) / 2 - (info.getStartTime() + info.getEndTime()) * 500_000L;
            }
        }
        throw new IllegalStateException("System.gc() made no collection a collector reported (-XX:+DisableExplicitGC?)");
    }

    private void collected(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        long start = nanosAtUptimeZero + info.getStartTime() * 1_000_000L;
        long end = nanosAtUptimeZero + info.getEndTime() * 1_000_000L;
        synchronized (pauses) {
            pauses.add(new long[] {start, Math.max(end, start)});
        }
    }

    /** How long the pauses seen so far overlap {@code [start, end)}, in ns. */
    long overlap(long start, long end) {
        long sum = 0;
        synchronized (pauses) {
            for (long[] p : pauses) {
                sum += Math.max(0, Math.min(end, p[1]) - Math.max(start, p[0]));
            }
        }
        return sum;
    }

    /** The pauses seen so far. */
    int count() {
        synchronized (pauses) {
            return pauses.size();
        }
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // not there: nothing to remove
            }
        }
    }
}

package swap.console.internal;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;
import swap.hotswap.SwapResult;
import swap.osgi.SwapPlan;
import swap.ott.EntryDTO;

/**
 * Renders the shell's typed results: {@link Converter#INSPECT} (what the shell prints for a
 * command's result) as a table or a block, {@link Converter#LINE} as one line, {@link Converter#PART}
 * as the id.
 */
@Component(property = "osgi.converter.classes=" + "swap.ott.EntryDTO,swap.hotswap.SwapResult,swap.osgi.SwapPlan,"
        + "swap.console.internal.Views$EntryList,swap.console.internal.Views$History,swap.console.internal.Views$Stats,"
        + "swap.console.internal.Views$Upgrade,swap.console.internal.Views$Policies,"
        + "swap.console.internal.Views$WorkloadStarted,swap.console.internal.Views$WorkloadRuns,swap.console.internal.Views$WorkloadRow")
public class SwapConverter implements Converter {

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null; // nothing is converted from strings
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof EntryDTO e) {
            return level == INSPECT ? inspect(e) : level == LINE ? line(e) : e.id;
        }
        if (target instanceof SwapResult r) {
            return level == PART ? r.entryId : r.toString();
        }
        if (target instanceof SwapPlan p) {
            return plan(p);
        }
        if (target instanceof Views.EntryList l) {
            return table(l);
        }
        if (target instanceof Views.History h) {
            return h.results().isEmpty() ? "no swaps yet" : h.results().stream().map(SwapResult::toString).collect(Collectors.joining("\n"));
        }
        if (target instanceof Views.Policies p) {
            return policies(p);
        }
        if (target instanceof Views.Stats s) {
            return stats(s);
        }
        if (target instanceof Views.WorkloadStarted s) {
            return level == PART ? Integer.toString(s.id()) : "run " + s.id() + ": " + s.description() + " started";
        }
        if (target instanceof Views.WorkloadRuns r) {
            return level == INSPECT ? runs(r) : r.runs().stream().map(SwapConverter::run).collect(Collectors.joining("\n"));
        }
        if (target instanceof Views.WorkloadRow r) {
            return level == PART ? Integer.toString(r.id()) : run(r);
        }
        if (target instanceof Views.Upgrade u) {
            return "upgraded " + u.symbolicName() + " " + u.oldVersion() + " -> " + u.newVersion() + " (bundle " + u.newBundleId()
                    + "), " + u.swaps().size() + (u.swaps().size() == 1 ? " swap:" : " swaps:") + u.swaps().stream().map(r -> "\n  " + r).collect(Collectors.joining());
        }
        return null;
    }

    private static String runs(Views.WorkloadRuns r) {
        if (r.runs().isEmpty()) {
            return "no workload runs (fcm:workload <" + String.join("|", swap.fcm.workload.Workloads.names()) + "> starts one)";
        }
        String format = "%-4s %-12s %-12s %-21s %10s  %s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "run", "workload", "phase", "operations", "elapsed", "result"));
        for (Views.WorkloadRow w : r.runs()) {
            b.append(String.format(Locale.ROOT, format, w.id(), w.workload(), phase(w), operations(w), seconds(w.elapsedMillis()),
                    w.outcome() == null ? "-" : w.outcome()));
        }
        return b.toString().stripTrailing();
    }

    /** One run on one line: {@code run 2: postmark DONE 1234/100000 ops, 1.2 s: postmark: 1234 ops in ...}. */
    private static String run(Views.WorkloadRow w) {
        return "run " + w.id() + ": " + w.workload() + " " + phase(w) + " " + operations(w) + " ops, " + seconds(w.elapsedMillis())
                + (w.outcome() == null ? "" : ": " + w.outcome());
    }

    private static String phase(Views.WorkloadRow w) {
        return w.phase().name() + (w.stopRequested() && w.phase() != swap.fcm.workload.WorkloadControl.Phase.DONE ? " (stopping)" : "");
    }

    private static String operations(Views.WorkloadRow w) {
        return w.planned() < 0 ? Long.toString(w.operations()) : w.operations() + "/" + w.planned();
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1e3);
    }

    private static String policies(Views.Policies p) {
        if (p.policies().isEmpty()) {
            return "no policies installed";
        }
        String format = "%-16s %-5s %8s  %s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "policy", "state", "watching", "what it does"));
        for (Views.PolicyView v : p.policies()) {
            b.append(String.format(Locale.ROOT, format, v.name(), v.enabled() ? "on" : "off", v.watching(), v.description()));
        }
        return b.toString().stripTrailing();
    }

    private static String table(Views.EntryList l) {
        if (l.entries().isEmpty()) {
            return "no entries";
        }
        String format = "%-24s %-34s %-40s %-32s %-11s %12s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "id", "interface", "implementation", "bundle", "mode", "calls"));
        for (EntryDTO e : l.entries()) {
            b.append(String.format(Locale.ROOT, format, e.id, simple(e.type), simple(e.implementation),
                    e.bundle == null ? "-" : e.bundle + " " + e.bundleVersion, e.mode.name().toLowerCase(Locale.ROOT), e.calls));
        }
        return b.toString().stripTrailing();
    }

    private static String line(EntryDTO e) {
        return e.id + " " + simple(e.type) + " -> " + simple(e.implementation) + " " + e.mode.name().toLowerCase(Locale.ROOT)
                + " calls=" + e.calls;
    }

    private static String inspect(EntryDTO e) {
        return "entry           " + e.id
                + "\ninterface       " + e.type
                + "\nimplementation  " + (e.implementation == null ? "-" : e.implementation)
                + "\nbundle          " + (e.bundle == null ? "-" : e.bundle + " " + e.bundleVersion)
                + "\nmode            " + e.mode.name().toLowerCase(Locale.ROOT)
                + "\ncalls           " + e.calls
                + "\nexports         " + vector(e.exportProtocols)
                + "\nimports         " + vector(e.importProtocols)
                + "\nwrappers        " + (e.wrappers == null || e.wrappers.isEmpty() ? "none" : String.join(", ", e.wrappers));
    }

    private static String plan(SwapPlan p) {
        return "entry           " + p.entryId
                + "\nfrom            " + p.from
                + "\nto              " + p.to + " (factory " + p.factory + ")"
                + "\nexports         " + vector(p.exportProtocols)
                + "\nimports         " + vector(p.importProtocols)
                + "\n" + (p.refusal != null ? "would be refused: " + p.refusal
                        : p.protocol < 0 ? "would swap without state transfer" : "would swap with protocol " + p.protocol);
    }

    private static String stats(Views.Stats s) {
        Histogram h = s.histogram();
        if (h.getTotalCount() == 0) {
            return "entry " + s.entryId() + ": no calls timed yet";
        }
        return String.format(Locale.ROOT, "entry %s: %d calls; latency (us) mean %.2f, min %.2f, p50 %.2f, p99 %.2f, p99.9 %.2f, max %.2f",
                s.entryId(), h.getTotalCount(), h.getMean() / 1e3, h.getMinValue() / 1e3, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    static String vector(Long bits) {
        if (bits == null) {
            return "none (no transfer contract)";
        }
        long v = bits;
        return "0x" + Long.toHexString(v) + " (bits " + LongStream.range(0, 64).filter(i -> (v & (1L << i)) != 0)
                .mapToObj(Long::toString).collect(Collectors.joining(",")) + ")";
    }

    private static String simple(String className) {
        if (className == null) {
            return "-";
        }
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

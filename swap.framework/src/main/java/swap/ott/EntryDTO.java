package swap.ott;

import java.util.List;

/**
 * A snapshot of an {@link Entry}: the same view for the shell, the tests and any other reader.
 * Fields are copied when the snapshot is taken; the snapshot does not change afterwards and
 * holds no reference to the instance or its classes.
 */
public class EntryDTO {

    /** The entry's id, stable for its lifetime. */
    public String id;

    /** The fully qualified name of the interface the entry was registered under. */
    public String type;

    /** The class name of the instance the entry holds; {@code null} once removed. */
    public String implementation;

    /** The symbolic name of the bundle that provides the instance's class, or {@code null} when not known (plain class path). */
    public String bundle;

    /** The version of that bundle, or {@code null} when not known. */
    public String bundleVersion;

    /** What the stub forwards to. */
    public Mode mode;

    /** Calls made through the stub since registration (a sum over threads, taken while calls go on). */
    public long calls;

    /** The names of the wrappers attached, outermost first (the order their {@code preCall}s run). */
    public List<String> wrappers;

    /**
     * The instance's state transfer protocols it can export (bit i: protocol i; bit 0 the
     * family's canonical format), or {@code null} if it has no transfer contract.
     */
    public Long exportProtocols;

    /** The protocols the instance can import, or {@code null} if it has no transfer contract. */
    public Long importProtocols;

    @Override
    public String toString() {
        return id + " " + type + " -> " + implementation + (bundle == null ? "" : " (" + bundle + " " + bundleVersion + ")")
                + " " + mode + " calls=" + calls + (wrappers == null || wrappers.isEmpty() ? "" : " wrappers=" + wrappers);
    }
}

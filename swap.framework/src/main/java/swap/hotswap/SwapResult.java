package swap.hotswap;

/**
 * What a swap request did, for the caller and for the table's history: a snapshot, written once
 * when the request ends. Times are those of the last try (all tries for {@link #totalNanos}).
 */
public class SwapResult {

    /** The entry swapped. */
    public String entryId;

    /** How the request ended. */
    public SwapOutcome outcome;

    /** Why it was asked for (the requester's words, e.g. "null swap", "policy: sequential"), or {@code null}. */
    public String reason;

    /** Why it failed or was refused, naming the phase and what was still inside; {@code null} if committed. */
    public String failure;

    /** The phase the last try ended in (for a failure: the phase that failed). */
    public SwapPhase phase;

    /** The class of the instance the entry held before. */
    public String from;

    /** The class of the new instance ({@code null} if none was made). */
    public String to;

    /** The state transfer protocol used, or -1 (no transfer contract, or none reached). */
    public int protocol = -1;

    /** Tries made. */
    public int tries;

    /** Forward phase of the last try: installing the mediator until the earlier calls had drained. */
    public long forwardNanos;

    /** Blocked phase of the last try: until the tracked calls had finished. */
    public long blockedNanos;

    /** Transfer phase of the last try: export, import and commit. */
    public long transferNanos;

    /** From the request to its end, every try and back-off included. */
    public long totalNanos;

    /** The longest any caller was held by the last try. */
    public long maxHoldNanos;

    /** Calls held by the last try. */
    public int callsHeld;

    /** When the request started (milliseconds since the epoch). */
    public long startedMillis;

    /** Whether the swap committed. */
    public boolean committed() {
        return outcome == SwapOutcome.COMMITTED;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("swap of ").append(entryId).append(' ').append(simple(from)).append(" -> ")
                .append(to == null ? "?" : simple(to)).append(' ').append(outcome.name().toLowerCase(java.util.Locale.ROOT))
                .append(" in ").append(micros(totalNanos)).append(" us (forward ").append(micros(forwardNanos))
                .append(" us, blocked ").append(micros(blockedNanos)).append(" us, transfer ").append(micros(transferNanos))
                .append(" us; held ").append(callsHeld).append(callsHeld == 1 ? " call" : " calls");
        if (callsHeld > 0) {
            out.append(" up to ").append(micros(maxHoldNanos)).append(" us");
        }
        out.append("; protocol ").append(protocol < 0 ? "none" : Integer.toString(protocol)).append("; ").append(tries)
                .append(tries == 1 ? " try" : " tries").append(')');
        if (reason != null) {
            out.append(" [").append(reason).append(']');
        }
        if (failure != null) {
            out.append(": ").append(failure);
        }
        return out.toString();
    }

    private static String simple(String className) {
        return className == null ? "?" : className.substring(className.lastIndexOf('.') + 1);
    }

    private static long micros(long nanos) {
        return nanos / 1000;
    }
}

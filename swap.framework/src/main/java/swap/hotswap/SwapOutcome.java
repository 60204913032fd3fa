package swap.hotswap;

/** How a swap request ended. */
public enum SwapOutcome {
    /** The entry now holds the new instance. */
    COMMITTED,
    /** Every try rolled back (timeout or failure); the entry holds the old instance. */
    FAILED,
    /** Refused before anything changed (no common protocol, a request that could never succeed). */
    REFUSED
}

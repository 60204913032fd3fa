package swap.osgi;

/**
 * What a swap would do, found without doing it ({@link SwapComponents#plan}): the replacement it
 * would choose, the protocol it would negotiate, or why it would be refused.
 */
public class SwapPlan {

    /** The entry. */
    public String entryId;

    /** The class of its instance now. */
    public String from;

    /** The factory that would make the replacement: component/impl, bundle and version. */
    public String factory;

    /** The class of the replacement. */
    public String to;

    /** The protocols the current instance exports, or {@code null} (no transfer contract). */
    public Long exportProtocols;

    /** The protocols the replacement imports, or {@code null} (no transfer contract). */
    public Long importProtocols;

    /** The protocol the swap would use (highest common bit), or -1 (no state to move). */
    public int protocol = -1;

    /** Why the swap would be refused, or {@code null} if it would go ahead. */
    public String refusal;
}

package swap.fcm;

/**
 * The state transfer protocols of the FCM family ({@link swap.transfer.Transferable}): bit
 * numbers and the vectors they make.
 */
public final class FcmProtocols {

    /** Protocol 0, the family's canonical format: an {@link FcmState}. Every implementation exports and imports it. */
    public static final int CANONICAL = 0;

    /** The protocol vector with only {@link #CANONICAL} set. */
    public static final long CANONICAL_BIT = 1L << CANONICAL;

    private FcmProtocols() {
    }
}

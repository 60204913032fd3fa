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

    /**
     * Protocol 16, the replicated FCM's: its whole structure handed over by reference, nothing
     * rebuilt. The state object is private to the implementation's bundle, so it also implements
     * {@code java.util.function.Supplier<FcmState>}: an importer that does not recognise its class
     * (a newer or older revision of the bundle, whose class loader differs) takes the canonical
     * form from it instead. Bits 1 to 15 are reserved for future formats of the whole family, 16
     * to 31 for implementations' own.
     */
    public static final int REPLICATED_BY_REFERENCE = 16;

    private FcmProtocols() {
    }
}

package swap.fcm;

/**
 * Names and values of the service properties of FCM factories ({@link swap.hotswap.ComponentFactory}
 * services with {@code swap.component=}{@value #COMPONENT}), which clients and policies filter on.
 */
public final class FcmProperties {

    /** The component name of the family, the value of {@code swap.component}. */
    public static final String COMPONENT = "fcm";

    /** The characteristic: what access pattern an implementation is optimized for. */
    public static final String OPTIMIZED_FOR = "fcm.optimized.for";

    /** One thread on one processor (the shared FCM): the default. */
    public static final String EXCLUSIVE = "exclusive";

    /** Several threads on several processors at once (the replicated FCM). */
    public static final String CONCURRENT = "concurrent";

    /** Sequential streams (the MRU FCM). */
    public static final String SEQUENTIAL = "sequential";

    /** The filter that selects the implementation optimized for {@code value}. */
    public static String optimizedFor(String value) {
        return "(" + OPTIMIZED_FOR + "=" + value + ")";
    }

    private FcmProperties() {
    }
}

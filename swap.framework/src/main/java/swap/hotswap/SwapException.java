package swap.hotswap;

/**
 * A swap that failed after every try, or was refused: the message names the entry, the phase
 * and the cause; {@link #result()} has the details. The entry holds the old instance and
 * serves as before.
 */
public class SwapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SwapResult result;

    public SwapException(SwapResult result, Throwable cause) {
        super(result.toString(), cause);
        this.result = result;
    }

    public SwapException(String message) {
        super(message);
        this.result = null;
    }

    /** What the swap did, or {@code null} for a caller that was held too long. */
    public SwapResult result() {
        return result;
    }
}

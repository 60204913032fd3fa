package swap.hotswap;

/** The steps of one try of a hot swap (K42's mediator phases, plus the steps around them). */
public enum SwapPhase {
    /** Making the replacement (a factory, or a fresh instance). */
    CREATE,
    /** Choosing the transfer protocol (highest common bit). */
    NEGOTIATE,
    /** Mediator installed: new calls are tracked and forwarded to the old instance while the calls that started earlier drain. */
    FORWARD,
    /** New calls are held (recursive ones pass) until the tracked calls finish. */
    BLOCKED,
    /** The instance is quiescent: the old one exports its state and the new one imports it. */
    TRANSFER,
    /** The entry points at the new instance; held calls go to it. */
    COMMIT
}

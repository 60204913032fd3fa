package swap.ott;

/** What an entry's stub currently forwards to. */
public enum Mode {
    /** The instance itself: the normal path. */
    DIRECT,
    /** The instance behind one or more interposed wrappers. */
    INTERPOSED,
    /** A mediator: the entry is being swapped. */
    SWAPPING,
    /** Nothing: the entry was removed and calls through its stub fail. */
    REMOVED
}

package swap.fcm;

import java.util.Objects;

/**
 * One resident page in the canonical state ({@link FcmState}): which page of the file, the frame
 * that holds it (handed over by reference), whether it differs from the file, and how recently
 * it was used.
 *
 * @param page the page number (the page starts at {@code page * PAGE_SIZE} in the file), {@code >= 0}
 * @param frame the frame holding the page's bytes
 * @param dirty whether the frame's bytes differ from the file's
 * @param recency the recency rank among the resident pages: 0 for the most recently used, then
 *        1, 2, ... (an implementation without recency order numbers them in any order)
 */
public record PageDescriptor(long page, FramePool.Frame frame, boolean dirty, int recency) {

    public PageDescriptor {
        if (page < 0) {
            throw new IllegalArgumentException("negative page number " + page);
        }
        Objects.requireNonNull(frame, "frame");
        if (recency < 0) {
            throw new IllegalArgumentException("negative recency rank " + recency);
        }
    }
}

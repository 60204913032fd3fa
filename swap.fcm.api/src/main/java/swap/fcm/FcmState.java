package swap.fcm;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The canonical state of a {@link FileCacheManager} (state transfer protocol
 * {@link FcmProtocols#CANONICAL}, bit 0): the file's identity and open channel, its size with the
 * cached writes, the frame pool account and the resident pages. Every implementation of the family
 * exports and imports it, so that any two can swap.
 *
 * <h2>Hand-over by reference</h2>
 * Nothing is copied: the channel, the account and the frames named by the descriptors pass from
 * the old instance to the new one. The framework's contract ({@link swap.transfer.Transferable})
 * gives the rules: the old instance does not change them while it exports and, once swapped out,
 * never touches them again (it neither closes the channel nor releases a frame); the new instance
 * only records them while it imports (the swap may still roll back, and the old instance then goes
 * on using them) and, if abandoned, forgets them without releasing anything.
 *
 * @param file the cached file (absolute, normalized)
 * @param mode how it was opened
 * @param channel the open channel to the file
 * @param size the file's size with the cached writes (may exceed the channel's size)
 * @param account the pool account that owns every frame in {@code pages}
 * @param pages the resident pages, one descriptor per page, in no particular order; recency
 *        ranks are distinct
 */
public record FcmState(Path file, FileCacheManager.Mode mode, FileChannel channel, long size,
        FramePool.Account account, List<PageDescriptor> pages) {

    public FcmState {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(account, "account");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        pages = List.copyOf(pages);
    }
}

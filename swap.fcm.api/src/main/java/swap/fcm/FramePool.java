package swap.fcm;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The page frames every {@link FileCacheManager} draws from, with a budget in frames: K42's
 * physical page frames, shared by all file caches. In the container it is a service whose budget
 * comes from Configuration Admin ({@value #PID}, property {@value #BUDGET}); on a plain class
 * path {@link FileCaches#newFramePool(int)} makes one.
 *
 * <h2>Accounting</h2>
 * Frames are taken and returned through an {@link Account}, the unit of ownership: a frame in use
 * is owned by exactly one account, and {@link #inUse()} is always the sum of
 * {@link Account#held()} over the open accounts (exactly, whenever no allocation or release is in
 * progress). A file cache opens one account for its file. On a hot swap the old instance hands
 * the account over to the new one with its frames (in the canonical state, {@link FcmState}):
 * the frames change the cache that owns them without being copied and without any count moving.
 *
 * <h2>Reclaim</h2>
 * The pool keeps a few frames free ({@link #freeTarget()}, K42's page manager keeping a free list):
 * when an allocation leaves half of them or fewer, a pass on the pool's own thread asks the caches
 * for frames back ({@link FileCacheManager#trim} of the cache each account names,
 * {@link Account#reclaimThrough}), from every account in proportion to the frames it holds, so that
 * a cache that keeps taking new pages (a stream in an LRU cache) grows at the expense of all the
 * others, as in a global page cache, while a cache that reuses its own frames (MRU) does not. Each
 * cache chooses which of its pages to give back, by its own replacement policy.
 *
 * <p>When the budget is exhausted even so, {@link Account#allocate} returns {@code null} and the
 * caller evicts one of its own pages to reuse its frame. A cache that has no page to evict (a file
 * just opened while other files hold every frame) calls {@link Account#awaitFrame}: the pool asks
 * the other accounts for frames the same way, and the frames they release go to the accounts that
 * wait: while any account waits, {@code allocate} of the others returns {@code null}. The pool
 * never takes an account's last frame, so when the budget is smaller than one frame per open
 * account a waiter gets {@code null} (at once: there is nothing to reclaim). The pool calls
 * {@code trim} on one thread of its own, one cache at a time, never from an allocation; a cache in
 * the swap framework names its entry's stub, so that the pool's requests go through the mediator
 * like any call.
 *
 * <h2>Threads</h2>
 * Thread-safe: every method may be called from any thread. {@link Account#release} of a frame
 * happens-before the {@link Account#allocate} that hands the same frame out again.
 * {@code allocate} never blocks; {@code awaitFrame} waits at most {@link #reclaimTimeout()}.
 */
@ProviderType
public interface FramePool {

    /** The Configuration Admin PID of the container's pool. */
    String PID = "swap.fcm.pool";

    /** The configuration property holding the budget, in frames. */
    String BUDGET = "budget.frames";

    /** The budget when none is configured: 1024 frames (4 MiB). */
    int DEFAULT_BUDGET = 1024;

    /**
     * The configuration property saying whether the file caches drawing from the pool read and
     * write their files with direct I/O ({@link #directIo()}); read when the pool is made.
     */
    String DIRECT_IO = "direct.io";

    /**
     * The configuration property holding how long, in milliseconds, a cache with no frame waits
     * for the pool to reclaim one ({@link Account#awaitFrame}).
     */
    String RECLAIM_TIMEOUT = "reclaim.timeout.ms";

    /** The reclaim timeout when none is configured: 2,000 ms. */
    long DEFAULT_RECLAIM_TIMEOUT_MS = 2000;

    /**
     * The configuration property holding how many frames the pool keeps free by reclaiming ahead
     * of demand ({@link #freeTarget()}): 0 reclaims only for a cache that has no frame at all;
     * absent or {@value #AUTO_FREE_FRAMES}, 1/{@value #AUTO_FREE_DIVISOR} of the budget.
     */
    String FREE_FRAMES = "free.frames";

    /** The value of {@value #FREE_FRAMES} that means 1/{@value #AUTO_FREE_DIVISOR} of the budget, at least 1. */
    int AUTO_FREE_FRAMES = -1;

    /** The part of the budget kept free when {@value #FREE_FRAMES} is not set: 1/32. */
    int AUTO_FREE_DIVISOR = 32;

    /** The most frames that may be in use at once. */
    int budget();

    /**
     * Whether the file caches drawing from this pool bypass the operating system's page cache
     * (Linux {@code O_DIRECT}): then the frames are the only copy of a file's pages in memory, and
     * a miss reads the storage device, as K42's FCM did. Off, a miss may be served by the
     * operating system's own cache. Fixed for the pool's lifetime. Where the file system refuses
     * direct I/O, a cache opens its file as usual and logs it once.
     *
     * <p>Every frame's buffer is aligned to {@value FileCacheManager#PAGE_SIZE} bytes either way.
     */
    boolean directIo();

    /** How long {@link Account#awaitFrame} waits at most. */
    Duration reclaimTimeout();

    /**
     * How many frames the pool tries to keep free now: when an allocation leaves half of them or
     * fewer, it reclaims from the caches up to this many (see the class comment). At most half the
     * budget; 0 when the pool reclaims only for a cache with no frame.
     */
    int freeTarget();

    /** The frames in use now (owned by some account). */
    int inUse();

    /** The accounts opened and not yet closed. */
    int openAccounts();

    /**
     * Opens an account to take frames from.
     *
     * @param name what the account is for, for diagnostics (e.g. the file's path)
     */
    Account openAccount(String name);

    /**
     * The owner of some frames of a pool. Thread-safe, but an account is meant to be used by
     * one owner at a time (a file cache under its own locking).
     */
    @ProviderType
    interface Account {

        /** What the account is for. */
        String name();

        /**
         * A free frame, now owned by this account, or {@code null} if the budget is exhausted.
         * Its contents are undefined.
         *
         * @throws IllegalStateException if the account is closed
         */
        Frame allocate();

        /**
         * Returns a frame to the pool. The caller must not touch the frame afterwards.
         *
         * @throws IllegalArgumentException if the frame is not from this pool
         * @throws IllegalStateException if this account does not own the frame (it was released
         *         already, or belongs to another account): the pool is unchanged
         */
        void release(Frame frame);

        /**
         * A free frame, now owned by this account, waiting at most {@link FramePool#reclaimTimeout()}
         * while the pool reclaims frames from the other accounts (see the class comment). It does
         * not wait when there is nothing to reclaim: when no other account that names a cache
         * holds more than one frame, and none is free, it returns {@code null} at once. For a
         * caller that has no frame of its own to reuse; it should hold no lock that another
         * account's cache needs to {@linkplain FileCacheManager#trim trim}.
         *
         * @return the frame, or {@code null} if there was none to reclaim (the other accounts are
         *         down to their last frame) or none came in time
         * @throws InterruptedException if the thread was interrupted while it waited
         * @throws IllegalStateException if the account is closed
         */
        Frame awaitFrame() throws InterruptedException;

        /**
         * Sets the cache the pool asks for frames back ({@link FileCacheManager#trim}), or
         * {@code null} for none (the account is then never asked). A cache in the swap framework
         * sets its entry's stub, so that the request reaches whichever instance the entry holds
         * then, through the mediator, and the pool never references an implementation's class.
         */
        void reclaimThrough(FileCacheManager cache);

        /** The frames this account owns now. */
        int held();

        /** Whether the account was closed. */
        boolean isClosed();

        /**
         * Closes the account. Idempotent.
         *
         * @throws IllegalStateException if the account still owns frames (they would leak): it
         *         stays open
         */
        void close();
    }

    /**
     * One page frame: {@value FileCacheManager#PAGE_SIZE} bytes. Its owner reads and writes the
     * bytes with absolute operations on {@link #buffer()}, or on a {@code duplicate()} of it for
     * operations that move a position (a channel read or write); it never changes the buffer's
     * own position or limit.
     */
    @ProviderType
    interface Frame {

        /** The frame's number in its pool, stable for the pool's lifetime. */
        int index();

        /**
         * The frame's bytes: a direct buffer at an address aligned to {@value FileCacheManager#PAGE_SIZE},
         * capacity {@value FileCacheManager#PAGE_SIZE}, position 0, limit capacity.
         */
        ByteBuffer buffer();

        /** The account that owns the frame now, or {@code null} if it is free. */
        Account owner();
    }
}

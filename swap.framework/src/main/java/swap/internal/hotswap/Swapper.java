package swap.internal.hotswap;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import swap.hotswap.SwapException;
import swap.hotswap.SwapOptions;
import swap.hotswap.SwapOutcome;
import swap.hotswap.SwapPhase;
import swap.hotswap.SwapResult;
import swap.internal.quiesce.Drain;
import swap.internal.quiesce.GenerationCounter;
import swap.ott.Entry;
import swap.ott.EntryAware;
import swap.transfer.Transferable;

/**
 * Carries out one swap request on one entry: for each try, make the replacement, negotiate the
 * state transfer protocol, install a {@link Mediator}, drain the earlier calls (Forward), hold new
 * calls until the tracked ones finish (Blocked), move the state and commit (Transfer); on a
 * timeout or a failure roll back, back off and try again. The entry runs one request at a time
 * (its swap permit); requests for different entries run independently.
 */
public final class Swapper {

    /*
     * Every try ends with the mediator in COMMITTED or ROLLED_BACK, so a held call is always
     * released. The state moves on the swapping thread itself (a hand-off to another thread would
     * cost a wake-up on every swap); the table's watchdog (Deadlines.Ticking: no wake-up per swap,
     * fires at most 10 ms late) enforces the try's deadline meanwhile. If importState overruns it,
     * the watchdog rolls back (the old instance is untouched, so the held calls can go back to it)
     * while the swapping thread is still inside importState. If exportState overruns it, nothing
     * can be released (the old instance must not be called while it exports): held calls wait, up
     * to the hold limit, and the try rolls back when exportState returns. The swapping thread
     * returns when the component's code does.
     *
     * Every wait spins for at most Drain.SPIN_NANOS (5 us: most end within that, and a park and
     * unpark cost 5-10 us here), then parks and is ended by the thread it waits for: the drain by
     * the last old call on each thread (Drain), the tracked calls by the last one to leave
     * (Mediator.untrack), held callers by the commit or rollback. A timed park costs the timer
     * slack (50 us and more on Linux), so timeouts only bound a missed wake-up (see Drain) and the
     * deadline.
     */

    private static final Logger LOG = LoggerFactory.getLogger(Swapper.class);
    /** The longest park of a wait for tracked calls before it re-checks (the last of them unparks it). */
    private static final long MAX_PARK_NANOS = 1_000_000;

    /** What a swap needs from the entry it swaps. */
    public interface Subject {
        String id();

        /** The public face of the entry (what {@link EntryAware#boundTo} is given). */
        Entry<?> entry();

        Class<?> type();

        GenerationCounter counter();

        /** The instance the entry holds now. */
        Object instance();

        /** Makes the replacement for a try. */
        Object create() throws Exception;

        /** Whether each try makes its own replacement (else the same given instance serves every try). */
        boolean createsPerTry();

        /** Installs a new mediator in front of the current target; {@code null} if the entry was removed. */
        Mediator install(long maxHoldNanos);

        /**
         * Points the entry at {@code replacement} (with its wrappers) and commits the mediator;
         * {@code false} if the mediator was rolled back first (by the watchdog).
         */
        boolean commit(Mediator mediator, Object replacement);

        /** Points the entry back at the mediator's old target and rolls the mediator back; {@code false} if it had ended. */
        boolean rollBack(Mediator mediator);

        /**
         * Removes the entry while this request holds its permit and {@code mediator} is installed:
         * the entry's calls, held ones included, fail as calls to a removed entry.
         */
        void removeWhileHeld(Mediator mediator);

        /** A park of this entry ended (resumed or aborted): the entry must not keep it (it holds the old instance). */
        default void parkEnded(Object park) {
        }

        /** Records the request's result (history, log). */
        void record(SwapResult result);

        /** Gives the entry's swap permit back. */
        void release();
    }

    private enum Attempt {
        COMMITTED,
        ROLLED_BACK,
        INTERRUPTED
    }

    private final Subject entry;
    private final SwapOptions options;
    private final Deadlines deadlines;
    private final SwapResult result = new SwapResult();
    private final long started = System.nanoTime();
    private Throwable cause;

    public Swapper(Subject entry, SwapOptions options, String reason, Deadlines deadlines) {
        this.entry = entry;
        this.options = options;
        this.deadlines = deadlines;
        result.entryId = entry.id();
        result.reason = reason;
        result.startedMillis = System.currentTimeMillis();
    }

    /**
     * Runs the request. The caller holds the entry's swap permit; this method gives it back.
     *
     * @throws SwapException if every try failed, or the request was refused before anything changed
     */
    public SwapResult run() {
        try {
            Object old = entry.instance();
            result.from = old.getClass().getName();
            Object replacement = null;
            for (int attempt = 1; attempt <= options.tries(); attempt++) {
                if (attempt > 1 && !backOff(attempt)) {
                    Thread.currentThread().interrupt();
                    break;
                }
                result.tries = attempt;
                resetTimes();
                if (replacement == null || entry.createsPerTry()) {
                    replacement = create();
                    if (replacement == null) {
                        continue;
                    }
                }
                result.to = replacement.getClass().getName();
                result.phase = SwapPhase.NEGOTIATE;
                result.protocol = negotiate(old, replacement);
                Attempt outcome;
                try {
                    outcome = attempt(old, replacement, result.protocol);
                } catch (SwapException e) {
                    throw e; // refused (the entry was removed), and recorded
                } catch (RuntimeException | Error e) { // the framework's own fault: rolled back, and not retried
                    cause = e;
                    result.failure = "phase " + result.phase + ": " + e + " (rolled back; not retried)";
                    abandon(replacement);
                    throw failure();
                }
                switch (outcome) {
                    case COMMITTED:
                        result.outcome = SwapOutcome.COMMITTED;
                        result.phase = SwapPhase.COMMIT;
                        result.failure = null;
                        disposeOld(old);
                        LOG.info("{}", finish());
                        return result;
                    case INTERRUPTED:
                        if (entry.createsPerTry() || attempt == options.tries()) {
                            abandon(replacement);
                        }
                        Thread.currentThread().interrupt();
                        return fail();
                    case ROLLED_BACK:
                        if (entry.createsPerTry()) {
                            abandon(replacement);
                            replacement = null;
                        }
                        break;
                    default:
                        throw new IllegalStateException("unknown attempt outcome " + outcome);
                }
            }
            if (replacement != null) {
                abandon(replacement);
            }
            return fail();
        } finally {
            entry.release();
        }
    }

    /**
     * The first half of a swap whose replacement comes later (a provider bundle being updated: the
     * old instance goes away before the new one exists). Forward and Blocked run as in a swap; then
     * the old instance exports its state (in its highest protocol, and also in the canonical one,
     * bit 0, if it offers it, so that a replacement that knows less can still import it) and the
     * entry stays in the mediator's Transfer phase: every call is held, for at most the options'
     * hold limit each, then fails with a {@link SwapException} that says {@code unavailable}. The
     * entry's swap permit stays taken until {@link Parked#resume} or {@link Parked#abort}.
     *
     * @param unavailable what a call that is held too long is told
     * @throws SwapException if the old instance could not be quiesced or export failed; the entry
     *         is back on the old instance and the permit is given back
     */
    public Parked park(String unavailable) {
        boolean keep = false;
        try {
            Object old = entry.instance();
            result.from = old.getClass().getName();
            result.tries = 1;
            Mediator mediator = entry.install(options.maxHold().toNanos());
            if (mediator == null) {
                throw refuse(null, "entry " + entry.id() + " was removed");
            }
            mediator.unavailableBecause(unavailable);
            mediator.swapperIs(Thread.currentThread());
            long deadline = System.nanoTime() + options.timeout().toNanos();
            try {
                if (!quiesce(mediator, deadline)) {
                    throw failure();
                }
                Parked parked = new Parked(mediator, old, exportAll(mediator, old));
                keep = true;
                LOG.info("entry {}: parked ({}), state exported{}; calls are held until a replacement comes", entry.id(),
                        unavailable, parked.exported == 0 ? " (none)" : " in protocols " + vector(parked.exported));
                return parked;
            } catch (InterruptedException e) {
                rollBack(mediator, "interrupted in phase " + result.phase);
                Thread.currentThread().interrupt();
                throw failure();
            } catch (SwapException e) {
                throw e; // exportAll rolled back and recorded it
            } catch (RuntimeException | Error e) { // the framework's own fault: never leave the entry mediated
                cause = e;
                rollBack(mediator, "phase " + result.phase + ": " + e);
                throw failure();
            }
        } finally {
            if (!keep) {
                entry.release();
            }
        }
    }

    /** Exports in the highest protocol and in bit 0; rolls back and fails if an export throws. */
    private Object[] exportAll(Mediator mediator, Object old) {
        Object[] states = new Object[64];
        if (!(old instanceof Transferable exporter)) {
            return states;
        }
        long offered;
        try {
            offered = exporter.exportProtocols();
        } catch (Throwable t) {
            cause = t;
            rollBack(mediator, "phase TRANSFER: exportProtocols() of " + old.getClass().getName() + " threw " + t);
            throw failure();
        }
        if (offered == 0) {
            return states;
        }
        int high = 63 - Long.numberOfLeadingZeros(offered);
        for (int bit : (offered & 1) != 0 && high != 0 ? new int[] {high, 0} : new int[] {high}) {
            try {
                states[bit] = exporter.exportState(bit);
            } catch (Throwable t) {
                cause = t;
                rollBack(mediator, "phase TRANSFER: exportState (protocol " + bit + ") threw " + t);
                throw failure();
            }
        }
        return states;
    }

    /**
     * An entry parked by {@link #park}: its old instance's state, exported, waiting for a
     * replacement. Thread-safe; {@link #resume} and {@link #abort} serialize.
     */
    public final class Parked {
        private final Mediator mediator;
        private final Object old;
        private final Object[] states;
        /** The protocols the state was exported in. */
        final long exported;
        private final long parkedAt = System.nanoTime();
        private boolean over;

        private Parked(Mediator mediator, Object old, Object[] states) {
            this.mediator = mediator;
            this.old = old;
            this.states = states;
            long bits = 0;
            for (int i = 0; i < 64; i++) {
                bits |= states[i] != null ? 1L << i : 0;
            }
            this.exported = bits;
        }

        /** The protocols the parked state is held in (0: the old instance had no state to move). */
        public long exportedProtocols() {
            return exported;
        }

        /** Whether the parked entry still waits (neither resumed nor aborted). */
        public synchronized boolean isWaiting() {
            return !over;
        }

        /**
         * Imports the parked state into {@code replacement} (in the highest protocol it shares with
         * the export), points the entry at it and releases the held calls to it.
         *
         * @throws SwapException if the replacement is refused (wrong interface, no common protocol)
         *         or its import fails; the entry stays parked with its state, for another replacement
         */
        public synchronized SwapResult resume(Object replacement) {
            if (over) {
                throw new IllegalStateException("entry " + entry.id() + " is no longer parked");
            }
            result.to = replacement.getClass().getName();
            result.phase = SwapPhase.TRANSFER;
            if (!entry.type().isInstance(replacement)) {
                throw stillParked(replacement, replacement.getClass().getName() + " does not implement " + entry.type().getName(), null);
            }
            String refused = bind(replacement);
            if (refused != null) {
                throw stillParked(replacement, refused, cause);
            }
            if (exported != 0) {
                if (!(replacement instanceof Transferable importer)) {
                    throw stillParked(replacement, "the parked state (protocols " + vector(exported) + ") cannot be imported by "
                            + replacement.getClass().getName() + ": it has no transfer contract", null);
                }
                long imports = importer.importProtocols();
                long common = exported & imports;
                if (common == 0) {
                    throw stillParked(replacement, "no common state transfer protocol: the parked state is in " + vector(exported)
                            + ", " + replacement.getClass().getName() + " imports " + vector(imports), null);
                }
                int protocol = 63 - Long.numberOfLeadingZeros(common);
                try {
                    importer.importState(protocol, states[protocol]);
                } catch (Throwable t) {
                    throw stillParked(replacement, "importState (protocol " + protocol + ") of " + replacement.getClass().getName()
                            + " threw " + t, t);
                }
                result.protocol = protocol;
            }
            if (!entry.commit(mediator, replacement)) {
                over = true;
                entry.release();
                entry.parkEnded(this);
                throw new IllegalStateException("entry " + entry.id() + ": the parked swap had already ended");
            }
            over = true;
            result.transferNanos = System.nanoTime() - parkedAt;
            result.maxHoldNanos = mediator.longestHoldNanos();
            result.callsHeld = mediator.callsHeld();
            result.outcome = SwapOutcome.COMMITTED;
            result.phase = SwapPhase.COMMIT;
            result.failure = null;
            disposeOld(old);
            entry.release();
            entry.parkEnded(this);
            LOG.info("{}", finish());
            return result;
        }

        /**
         * Gives up: removes the entry (held calls, and later ones, fail as calls to a removed entry)
         * and gives the permit back. Idempotent.
         */
        public synchronized void abort(String why) {
            if (over) {
                return;
            }
            over = true;
            entry.removeWhileHeld(mediator);
            entry.release();
            entry.parkEnded(this);
            result.outcome = SwapOutcome.FAILED;
            result.failure = "parked, then aborted: " + why;
            result.maxHoldNanos = mediator.longestHoldNanos();
            result.callsHeld = mediator.callsHeld();
            LOG.warn("{}", finish());
        }

        private SwapException stillParked(Object replacement, String why, Throwable t) {
            abandon(replacement);
            SwapResult attempt = new SwapResult();
            attempt.entryId = entry.id();
            attempt.reason = result.reason;
            attempt.startedMillis = System.currentTimeMillis();
            attempt.outcome = SwapOutcome.FAILED;
            attempt.phase = SwapPhase.TRANSFER;
            attempt.from = result.from;
            attempt.to = replacement.getClass().getName();
            attempt.tries = 1;
            attempt.failure = "entry " + entry.id() + " stays parked: " + why;
            entry.record(attempt);
            LOG.warn("{}", attempt);
            return new SwapException(attempt, t);
        }
    }

    private SwapResult fail() {
        throw failure();
    }

    private SwapException failure() {
        result.outcome = SwapOutcome.FAILED;
        SwapResult done = finish();
        LOG.warn("{}", done);
        return new SwapException(done, cause);
    }

    /** The replacement for this try, or {@code null} if making it failed (recorded). */
    private Object create() {
        result.phase = SwapPhase.CREATE;
        Object replacement;
        try {
            replacement = entry.create();
        } catch (Throwable t) { // nothing has changed yet: even an Error only fails this try
            cause = t;
            result.failure = "phase CREATE: making the replacement threw " + t;
            return null;
        }
        if (replacement == null) {
            result.failure = "phase CREATE: the factory returned null";
            return null;
        }
        if (!entry.type().isInstance(replacement)) {
            throw refuse(null, "entry " + entry.id() + ": the replacement " + replacement.getClass().getName()
                    + " does not implement " + entry.type().getName());
        }
        String refused = bind(replacement);
        if (refused != null) {
            result.failure = "phase CREATE: " + refused;
            abandon(replacement);
            return null;
        }
        return replacement;
    }

    /** Tells an {@link EntryAware} replacement its entry; the reason if it refused, else {@code null}. */
    private String bind(Object replacement) {
        if (replacement instanceof EntryAware aware) {
            try {
                aware.boundTo(entry.entry());
            } catch (Throwable t) { // nothing has changed yet: even an Error only fails this try
                cause = t;
                return "boundTo of " + replacement.getClass().getName() + " threw " + t;
            }
        }
        return null;
    }

    private int negotiate(Object old, Object replacement) {
        if (!(old instanceof Transferable exporter)) {
            return -1; // no state to move: the new instance starts as it was made
        }
        long exports = protocols(exporter, true, replacement);
        if (!(replacement instanceof Transferable importer)) {
            throw refuse(replacement, "entry " + entry.id() + ": " + old.getClass().getName() + " exports its state (protocols "
                    + vector(exports) + ") but " + replacement.getClass().getName() + " cannot import state");
        }
        long imports = protocols(importer, false, replacement);
        long common = exports & imports;
        if (common == 0) {
            throw refuse(replacement, "entry " + entry.id() + ": no common state transfer protocol: "
                    + old.getClass().getName() + " exports " + vector(exports) + ", "
                    + replacement.getClass().getName() + " imports " + vector(imports));
        }
        return 63 - Long.numberOfLeadingZeros(common);
    }

    /**
     * The export or import vector of {@code component}; a component that throws here refuses the
     * swap before anything has changed (the replacement is abandoned).
     */
    private long protocols(Transferable component, boolean export, Object replacement) {
        try {
            return export ? component.exportProtocols() : component.importProtocols();
        } catch (Throwable t) {
            throw refuse(replacement, "entry " + entry.id() + ": " + (export ? "exportProtocols()" : "importProtocols()")
                    + " of " + component.getClass().getName() + " threw " + t, t);
        }
    }

    private Attempt attempt(Object old, Object replacement, int protocol) {
        Mediator mediator = entry.install(options.maxHold().toNanos());
        if (mediator == null) {
            throw refuse(replacement, "entry " + entry.id() + " was removed");
        }
        mediator.swapperIs(Thread.currentThread());
        long deadline = System.nanoTime() + options.timeout().toNanos();
        try {
            if (!quiesce(mediator, deadline)) {
                return Attempt.ROLLED_BACK;
            }
            long blocked = System.nanoTime();
            // TRANSFER: nothing is inside; every call is held
            Attempt transferred = transfer(mediator, old, replacement, protocol, deadline);
            if (transferred != null) {
                return transferred;
            }
            result.phase = SwapPhase.COMMIT;
            if (!entry.commit(mediator, replacement)) {
                result.failure = "phase TRANSFER: importState of " + replacement.getClass().getName()
                        + " did not return within " + millis(options.timeout().toNanos()) + " ms; rolled back at the deadline";
                return Attempt.ROLLED_BACK;
            }
            result.transferNanos = System.nanoTime() - blocked;
            return Attempt.COMMITTED;
        } catch (InterruptedException e) {
            rollBack(mediator, "interrupted in phase " + result.phase);
            return Attempt.INTERRUPTED;
        } catch (RuntimeException | Error e) {
            cause = e;
            rollBack(mediator, "phase " + result.phase + ": " + e);
            throw e;
        } finally {
            result.maxHoldNanos = mediator.longestHoldNanos();
            result.callsHeld = mediator.callsHeld();
        }
    }

    /**
     * Forward, then Blocked, then into Transfer: returns {@code true} once no call is inside and
     * every new call is held; {@code false} if the deadline passed first (rolled back, the reason in
     * the result).
     */
    private boolean quiesce(Mediator mediator, long deadline) throws InterruptedException {
        // FORWARD: calls are tracked and go to the old target; the earlier ones drain
        result.phase = SwapPhase.FORWARD;
        long start = System.nanoTime();
        Drain drain = entry.counter().flip();
        if (!drain.await(deadline)) {
            rollBack(mediator, "phase FORWARD: " + drain.describe() + " after " + millis(options.timeout().toNanos()) + " ms");
            return false;
        }
        long forwarded = System.nanoTime();
        result.forwardNanos = forwarded - start;
        // BLOCKED: new calls are held (recursive ones pass); the tracked ones finish
        result.phase = SwapPhase.BLOCKED;
        mediator.block();
        if (!awaitTracked(mediator, deadline)) {
            rollBack(mediator, "phase BLOCKED: " + mediator.tracked() + " tracked calls still inside, "
                    + mediator.heldNow() + " callers held, after " + millis(options.timeout().toNanos()) + " ms");
            return false;
        }
        result.blockedNanos = System.nanoTime() - forwarded;
        result.phase = SwapPhase.TRANSFER;
        if (!mediator.startTransfer()) {
            rollBack(mediator, "phase TRANSFER: the mediator was no longer blocked");
            return false;
        }
        return true;
    }

    /** Moves the state; {@code null} if it moved (commit next), else how the try ended. */
    private Attempt transfer(Mediator mediator, Object old, Object replacement, int protocol, long deadline) {
        if (protocol < 0) {
            return null;
        }
        Watch watch = new Watch(mediator);
        Deadlines.Alarm alarm = deadlines.schedule(watch::expire, deadline - System.nanoTime());
        try {
            Object state;
            try {
                state = ((Transferable) old).exportState(protocol);
            } catch (Throwable t) {
                cause = t;
                return rollBack(mediator, "phase TRANSFER: exportState (protocol " + protocol + ") threw " + t);
            }
            watch.exportDone = true; // volatile: the watchdog may roll back from now on
            if (watch.expired) { // it expired while exporting and could not roll back: do it now
                return rollBack(mediator, "phase TRANSFER: exportState of " + old.getClass().getName()
                        + " did not return within " + millis(options.timeout().toNanos()) + " ms");
            }
            try {
                ((Transferable) replacement).importState(protocol, state);
            } catch (Throwable t) {
                cause = t;
                return rollBack(mediator, "phase TRANSFER: importState (protocol " + protocol + ") threw " + t);
            }
            return null;
        } finally {
            alarm.cancel();
        }
    }

    /** The watchdog of one transfer: rolls back at the deadline once the old instance has exported. */
    private final class Watch {
        private final Mediator mediator;
        volatile boolean exportDone;
        volatile boolean expired;

        Watch(Mediator mediator) {
            this.mediator = mediator;
        }

        void expire() {
            expired = true; // then read exportDone: with the swapper's write-then-read, one of them acts
            if (exportDone && entry.rollBack(mediator)) {
                LOG.warn("entry {}: importState overran the swap's deadline; rolled back, calls go to the old instance",
                        entry.id());
            } else if (!exportDone) {
                LOG.warn("entry {}: exportState overran the swap's deadline; calls stay held until it returns (or {} ms)",
                        entry.id(), options.maxHold().toMillis());
            }
        }
    }

    private Attempt rollBack(Mediator mediator, String why) {
        result.failure = why;
        entry.rollBack(mediator);
        return Attempt.ROLLED_BACK;
    }

    /**
     * Waits until no tracked call is inside {@code mediator} or the deadline passes. The last
     * tracked call to leave unparks this thread (volatile state and count on both sides: no
     * wake-up is missed); the park is bounded all the same.
     */
    private static boolean awaitTracked(Mediator mediator, long deadline) throws InterruptedException {
        if (Drain.spinUntil(() -> mediator.tracked() == 0, deadline)) {
            return true;
        }
        while (mediator.tracked() != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(mediator, Math.min(left, MAX_PARK_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return true;
    }

    private SwapException refuse(Object replacement, String why) {
        return refuse(replacement, why, null);
    }

    /** Refuses the request before anything changed; {@code thrown} is what the component threw, if that is why. */
    private SwapException refuse(Object replacement, String why, Throwable thrown) {
        result.outcome = SwapOutcome.REFUSED;
        result.failure = why;
        if (replacement != null) {
            abandon(replacement);
        }
        SwapResult done = finish();
        LOG.warn("{}", done);
        return new SwapException(done, thrown);
    }

    private SwapResult finish() {
        result.totalNanos = System.nanoTime() - started;
        entry.record(result);
        return result;
    }

    private void resetTimes() {
        result.forwardNanos = 0;
        result.blockedNanos = 0;
        result.transferNanos = 0;
        result.protocol = -1;
    }

    /** Pauses before a retry; {@code false} if interrupted. */
    private boolean backOff(int attempt) {
        long nanos = options.backoff().toNanos();
        for (int i = 2; i < attempt && nanos < options.maxBackoff().toNanos(); i++) {
            nanos *= 2;
        }
        nanos = Math.min(nanos, options.maxBackoff().toNanos());
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    private void disposeOld(Object old) {
        if (old instanceof Transferable t) {
            try {
                t.swappedOut();
            } catch (Throwable e) { // the swap has committed: the old instance's clean-up cannot undo it
                LOG.warn("entry {}: swappedOut() of {} threw; ignored", entry.id(), old.getClass().getName(), e);
            }
        }
    }

    private void abandon(Object replacement) {
        if (replacement instanceof Transferable t) {
            try {
                t.abandoned();
            } catch (Throwable e) { // the entry no longer needs it, whatever it does
                LOG.warn("entry {}: abandoned() of {} threw; ignored", entry.id(), replacement.getClass().getName(), e);
            }
        }
    }

    static String vector(long bits) {
        return "0x" + Long.toHexString(bits) + " (bits " + LongStream.range(0, 64).filter(i -> (bits & (1L << i)) != 0)
                .mapToObj(Long::toString).collect(Collectors.joining(",")) + ")";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

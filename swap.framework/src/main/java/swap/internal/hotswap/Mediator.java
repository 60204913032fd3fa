package swap.internal.hotswap;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import swap.hotswap.SwapException;
import swap.hotswap.SwapPhase;
import swap.internal.quiesce.CallStacks;
import swap.internal.quiesce.Drain;
import swap.internal.quiesce.GenerationCounter;

/**
 * K42's mediator for one try of one hot swap: installed in the entry (as a generated object of
 * the entry's interface that delegates here), it decides for each call where it goes.
 *
 * <h2>States</h2>
 * <pre>
 *   FORWARD --(swapper: earlier calls drained)--> BLOCKED --(swapper: tracked calls done)--> TRANSFER
 *      |                                            |                                          |
 *      +---------------- timeout, failure ----------+------------------------------------------+--> ROLLED_BACK
 *                                                                                              +--> COMMITTED
 * </pre>
 * <ul>
 *   <li>FORWARD: every call is <em>tracked</em> (counted) and goes to the old target. No caller
 *       waits. The swapper waits for the generation drain of the calls that started before the
 *       mediator was installed (they are not tracked).
 *   <li>BLOCKED: a call from a thread already inside the entry (a recursive call, direct or
 *       through other components: an outer frame of the entry's generation counter on the
 *       thread's own stack) is tracked and passes to the old target; any other call is held. The
 *       swapper waits for the tracked calls to finish.
 *   <li>TRANSFER: no call is inside; every call is held while the state moves.
 *   <li>COMMITTED: calls go to the new target; ROLLED_BACK: to the old one. Held calls are
 *       released when either is reached.
 * </ul>
 * Transitions are made by the swapper only, with compare-and-set, and only forward. The states
 * are ordered as listed; a call compares the state after tracking itself, so that a swapper that
 * has moved past FORWARD and then reads the tracked count cannot miss it (Dekker's pattern, with
 * an atomic on each side).
 *
 * <h2>Guarantees</h2>
 * No call reaches the new target before the commit, and none reaches the old target after a
 * commit: when TRANSFER is entered no call is inside (drained and tracked calls have left) and
 * every later call is held, then released to the new target. A held call is always released: the
 * swapper ends every try in COMMITTED or ROLLED_BACK (in a {@code finally}); a caller held longer
 * than the hold limit (only if a component hangs in {@code exportState}) fails with a
 * {@link SwapException} naming the entry and the phase. An interrupted held caller keeps waiting,
 * then completes its call, and keeps its interrupt status. A held call spins for at most
 * {@link Drain#SPIN_NANOS} (a transfer usually ends within that), then parks until the commit or
 * rollback that releases it unparks it.
 */
public final class Mediator {

    static final int FORWARD = 0;
    static final int BLOCKED = 1;
    static final int TRANSFER = 2;
    static final int COMMITTED = 3;
    static final int ROLLED_BACK = 4;

    /** Ticket of a call: goes to the new target. */
    static final long NEW = 0;
    /** Ticket of a call: goes to the old target, not tracked. */
    static final long OLD = 1;
    /** Ticket of a call: goes to the old target, tracked (the swapper waits for it). */
    static final long OLD_TRACKED = 3;

    private final String entryId;
    private final GenerationCounter counter;
    private final CallStacks stacks;
    private final Object oldTarget;
    private volatile Object newTarget;
    private volatile int state = FORWARD;
    private final AtomicInteger tracked = new AtomicInteger();
    /** A held call: its thread and when it started waiting. */
    private record Holder(Thread thread, long since) {
    }

    private final ConcurrentLinkedQueue<Holder> held = new ConcurrentLinkedQueue<>();
    private volatile Thread swapper;
    private final long maxHoldNanos;
    private final AtomicLong longestHold = new AtomicLong();
    private final AtomicInteger callsHeld = new AtomicInteger();
    /** What a held call that runs out of time is told, if not the default (a parked entry). */
    private volatile String unavailable;

    /**
     * A mediator in front of {@code oldTarget} (what calls went to until now: the instance, or an
     * interposer in front of it).
     */
    public Mediator(String entryId, GenerationCounter counter, CallStacks stacks, Object oldTarget, long maxHoldNanos) {
        this.entryId = entryId;
        this.counter = counter;
        this.stacks = stacks;
        this.oldTarget = oldTarget;
        this.maxHoldNanos = maxHoldNanos;
    }

    // ---- the callers' side (generated mediator methods) ----

    /** Decides where a call goes; may hold the caller. Returns the call's ticket for {@link #target} and {@link #leave}. */
    public long admit() {
        if (state == FORWARD) {
            tracked.incrementAndGet();
            if (state == FORWARD) { // re-read after tracking: see the class comment
                return OLD_TRACKED;
            }
            untrack();
        }
        return admitSlow();
    }

    private long admitSlow() {
        for (;;) {
            int s = state;
            switch (s) {
                case COMMITTED:
                    return NEW;
                case ROLLED_BACK:
                    return OLD;
                case BLOCKED:
                    if (stacks.current().isReentry(counter)) {
                        tracked.incrementAndGet(); // the outer call keeps the swapper in BLOCKED: no race
                        return OLD_TRACKED;
                    }
                    hold();
                    break;
                case TRANSFER:
                    hold();
                    break;
                case FORWARD:
                    // only reachable through a stale read; states never go back
                    break;
                default:
                    throw new IllegalStateException("mediator of " + entryId + " in unknown state " + s);
            }
        }
    }

    /** The target of a call with this ticket. */
    public Object target(long ticket) {
        return ticket == NEW ? newTarget : oldTarget;
    }

    /** The call with this ticket is over. */
    public void leave(long ticket) {
        if (ticket == OLD_TRACKED) {
            untrack();
        }
    }

    private void untrack() {
        if (tracked.decrementAndGet() == 0 && state == BLOCKED) { // only then does the swapper wait for it
            Thread t = swapper;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Holds the calling thread until the try ends (commit or rollback), at most the hold limit:
     * a spin of at most {@link Drain#SPIN_NANOS}, then parked until the swapper releases it.
     */
    private void hold() {
        Thread me = Thread.currentThread();
        long start = System.nanoTime();
        callsHeld.incrementAndGet();
        if (Drain.spinUntil(() -> state >= COMMITTED, start + maxHoldNanos)) {
            longestHold.accumulateAndGet(System.nanoTime() - start, Math::max);
            return;
        }
        boolean interrupted = false;
        Holder holder = new Holder(me, start);
        held.add(holder);
        try {
            for (int s = state; s < COMMITTED; s = state) {
                long left = start + maxHoldNanos - System.nanoTime();
                if (left <= 0) {
                    String why = unavailable;
                    throw new SwapException("entry " + entryId + ": " + (why != null ? why + "; the call was held for "
                            + TimeUnit.NANOSECONDS.toMillis(maxHoldNanos) + " ms"
                            : "a call was held for more than " + TimeUnit.NANOSECONDS.toMillis(maxHoldNanos)
                                    + " ms by a swap in phase " + phaseOf(s)));
                }
                LockSupport.parkNanos(this, left);
                interrupted |= Thread.interrupted(); // keep waiting: the call must not be dropped
            }
        } finally {
            held.remove(holder);
            long waited = System.nanoTime() - start;
            longestHold.accumulateAndGet(waited, Math::max);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    // ---- the swapper's side ----

    void swapperIs(Thread thread) {
        swapper = thread;
    }

    /** FORWARD -> BLOCKED. */
    boolean block() {
        return transition(FORWARD, BLOCKED);
    }

    /** Calls tracked and not yet over. */
    int tracked() {
        return tracked.get();
    }

    /** BLOCKED -> TRANSFER, once no tracked call is inside. */
    boolean startTransfer() {
        return transition(BLOCKED, TRANSFER);
    }

    /** Sets what a held call that runs out of time is told (an entry parked until a replacement comes). */
    void unavailableBecause(String why) {
        unavailable = why;
    }

    /** Sets what calls go to after a commit: the new instance, or an interposer in front of it. */
    public void setNewTarget(Object target) {
        newTarget = target;
    }

    /** TRANSFER -> COMMITTED; releases the held calls to the new target. */
    public boolean commit() {
        if (newTarget == null) {
            throw new IllegalStateException("mediator of " + entryId + ": commit without a new target");
        }
        boolean done = transition(TRANSFER, COMMITTED);
        if (done) {
            releaseHeld();
        }
        return done;
    }

    /** Any state before COMMITTED -> ROLLED_BACK; releases the held calls to the old target. */
    public boolean rollBack() {
        for (int s = state; s < COMMITTED; s = state) {
            if (transition(s, ROLLED_BACK)) {
                releaseHeld();
                return true;
            }
        }
        return false;
    }

    private boolean transition(int from, int to) {
        synchronized (this) { // transitions are rare; the monitor keeps them atomic with their checks
            if (state != from) {
                return false;
            }
            state = to;
            if (to >= TRANSFER) {
                swapper = null; // no call needs to wake the swapper any more
            }
            return true;
        }
    }

    /** Unparks every held call; their hold ends now (so the swap's result has it before they run). */
    private void releaseHeld() {
        long now = System.nanoTime();
        for (Holder h : held) {
            longestHold.accumulateAndGet(now - h.since(), Math::max);
            LockSupport.unpark(h.thread());
        }
    }

    /** What calls went to before the swap. */
    public Object oldTarget() {
        return oldTarget;
    }

    long longestHoldNanos() {
        return longestHold.get();
    }

    int callsHeld() {
        return callsHeld.get();
    }

    /** Threads held now (for failure messages). */
    int heldNow() {
        return held.size();
    }

    public SwapPhase phase() {
        return phaseOf(state);
    }

    public boolean isTerminal() {
        return state >= COMMITTED;
    }

    private static SwapPhase phaseOf(int s) {
        return switch (s) {
            case FORWARD -> SwapPhase.FORWARD;
            case BLOCKED -> SwapPhase.BLOCKED;
            case TRANSFER -> SwapPhase.TRANSFER;
            default -> SwapPhase.COMMIT;
        };
    }

    @Override
    public String toString() {
        return entryId + " (" + switch (state) {
            case FORWARD -> "forward";
            case BLOCKED -> "blocked";
            case TRANSFER -> "transfer";
            case COMMITTED -> "committed";
            case ROLLED_BACK -> "rolled back";
            default -> "state " + state;
        } + ", " + tracked.get() + " tracked, " + held.size() + " held)";
    }
}

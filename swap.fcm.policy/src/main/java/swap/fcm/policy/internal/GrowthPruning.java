package swap.fcm.policy.internal;

import java.util.Collection;
import java.util.function.Predicate;

/**
 * When to drop what a collection keeps for removed entries: before an addition, once the
 * collection has doubled since the last prune (at least {@value #MIN_SIZE} elements). That keeps
 * it within about twice its live elements at O(1) per addition, amortized, where a prune per
 * addition cost O(n) each (Postmark makes and removes thousands of entries; pruning on every new
 * one cost 11 % of its throughput under the policies). Thread-safe as far as the collection is:
 * under the caller's lock, or over a concurrent collection, where two racing additions only prune
 * twice.
 */
final class GrowthPruning {

    static final int MIN_SIZE = 64;

    private volatile int pruneAt = MIN_SIZE;

    /** Before adding to {@code kept}: prunes it if it has doubled since the last prune. */
    <T> void beforeAdd(Collection<T> kept, Predicate<? super T> removed) {
        if (kept.size() >= pruneAt) {
            prune(kept, removed);
        }
    }

    /** Drops the elements {@code removed} says are gone, now. */
    <T> void prune(Collection<T> kept, Predicate<? super T> removed) {
        kept.removeIf(removed);
        pruneAt = Math.max(MIN_SIZE, 2 * kept.size());
    }

    /** After {@code kept} was emptied. */
    void reset() {
        pruneAt = MIN_SIZE;
    }
}

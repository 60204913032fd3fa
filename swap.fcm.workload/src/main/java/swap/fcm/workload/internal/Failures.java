package swap.fcm.workload.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** The first of several failures, with the later ones suppressed into it (each once). Not thread-safe. */
final class Failures {

    private final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private Throwable first;

    /** Adds {@code t} unless it is null or added already. */
    void add(Throwable t) {
        if (t == null || !seen.add(t)) {
            return;
        }
        if (first == null) {
            first = t;
        } else {
            first.addSuppressed(t);
        }
    }

    Throwable first() {
        return first;
    }

    /** Throws the first failure if there is one: as it is if it is an IOException or unchecked, else wrapped. */
    void throwIoOrUnchecked() throws IOException {
        if (first == null) {
            return;
        }
        if (first instanceof RuntimeException e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first instanceof IOException e) {
            throw e;
        }
        throw new IOException(first);
    }
}

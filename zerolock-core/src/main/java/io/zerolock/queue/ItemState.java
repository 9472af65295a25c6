package io.zerolock.queue;

import java.util.Locale;

/** Where a queued item is; the queue table stores {@link #id()}. */
public enum ItemState {
    /** Waiting for a worker (after its backoff, when it failed before). */
    QUEUED,
    /** Waiting for {@code zerolock queue approve}; no worker touches it. */
    HELD,
    /** A worker (or apply) is building it now; a run that died leaves it here for the next pass to repair. */
    RUNNING,
    /** The database has it: the index is there, valid and of this definition; the drop or validation happened. */
    DONE,
    /** It will not be tried again without {@code zerolock queue approve}: its error says why. */
    FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ItemState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

package io.zerolock.journal;

import java.util.List;

/**
 * How one kind of journaled operation finishes or undoes what its dead runs left (killed, disconnected,
 * the server restarted): {@code zerolock resume} asks each kind in turn, and the next run of the same
 * kind asks its own. A run that is still alive is never touched.
 */
public interface Recovery {

    /** The operation kinds it recovers, as the journal stores them. */
    List<String> kinds();

    /** Gives every operation of a dead run of these kinds a final outcome; one line per thing done. */
    List<String> finishDeadRuns();
}

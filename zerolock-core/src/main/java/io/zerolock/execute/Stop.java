package io.zerolock.execute;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop, from outside the run (the command line's Ctrl-C or SIGTERM, or a library user): the
 * statement in flight is cancelled, the executor undoes what the undo policy allows, journals it, and
 * the run fails with {@link io.zerolock.ErrorCode#INTERRUPTED}. One per process: a process runs one
 * command.
 */
public final class Stop {

    private static final AtomicReference<String> REASON = new AtomicReference<>();
    private static final AtomicReference<Statement> RUNNING = new AtomicReference<>();
    private static volatile String doing = "starting up";

    private Stop() {}

    /** Asks the run to stop because of {@code reason} (e.g. "SIGINT"), cancelling its statement now. */
    public static void request(String reason) {
        if (REASON.compareAndSet(null, reason)) {
            Statement statement = RUNNING.get();
            if (statement != null) {
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    // the statement ended or its connection is gone: nothing left to cancel
                }
            }
        }
    }

    /** Why a stop was requested, or null when none was. */
    public static String requested() {
        return REASON.get();
    }

    /** What the run is doing now, in words, for the message a stop prints. */
    public static String doing() {
        return doing;
    }

    static void doing(String what) {
        doing = what;
    }

    /** The statement in flight, to cancel on a stop; a stop requested just before it started cancels it too. */
    static void running(Statement statement) {
        RUNNING.set(statement);
        if (REASON.get() != null && statement != null) {
            try {
                statement.cancel();
            } catch (SQLException e) {
                // nothing running yet: the executor checks before each statement
            }
        }
    }

    /** For tests: forget a stop, as a new process would. */
    public static void reset() {
        REASON.set(null);
        RUNNING.set(null);
        doing = "starting up";
    }
}

package io.zerolock;

/**
 * What went wrong, and the exit code the command line gives for it. Exit codes: 0 success, 1 operation
 * failed (database unchanged or repaired), 2 bad usage or refused target, 3 check findings.
 */
public enum ErrorCode {
    /** Wrong or contradictory options, a malformed connection string. */
    BAD_USAGE(2),
    /** A named object does not exist. */
    NOT_FOUND(2),
    /** A name matches several objects, or none where it was looked for but some elsewhere. */
    AMBIGUOUS_NAME(2),
    /** A name resolves to an object of another kind (a table where an index was expected). */
    WRONG_KIND(2),
    /** The target is unsupported or unsafe to operate on; nothing was changed. */
    REFUSED(2),
    /** The server could not be reached or refused the login. */
    CONNECTION_FAILED(1),
    /** The operation failed; the database is as before, or repaired. */
    OPERATION_FAILED(1),
    /** Stopped on request (Ctrl-C, SIGTERM): what could be undone was undone; the next run repairs the rest. */
    INTERRUPTED(130),
    /** Migration check findings at or above the failing severity. */
    CHECK_FINDINGS(3);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

package io.zerolock.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * How a step waits for its locks.
 *
 * @param lockTimeout {@code lock_timeout} for each attempt; {@link Duration#ZERO} means none (concurrent
 *     builds, which wait for old snapshots rather than a lock queue and must not be cancelled)
 * @param attempts how many times to try in all; there is never a final untimed attempt
 * @param initialBackoff the wait before the second attempt; doubled each time, with jitter
 * @param maxBackoff the longest wait between attempts
 * @param statementTimeout {@code statement_timeout} of the step's statements; {@link Duration#ZERO} means
 *     none. Always set by the executor, so a step never inherits the role's or an earlier step's value (a
 *     VALIDATE of a large foreign key must not die of the role's 30 s timeout)
 */
public record LockPolicy(Duration lockTimeout, int attempts, Duration initialBackoff, Duration maxBackoff,
        Duration statementTimeout) {

    public LockPolicy {
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt, got " + attempts);
        }
    }

    /** No lock_timeout, one attempt: for {@code CREATE INDEX CONCURRENTLY} and {@code REINDEX CONCURRENTLY}. */
    public static LockPolicy concurrentBuild() {
        return new LockPolicy(Duration.ZERO, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public static LockPolicy bounded(Duration lockTimeout, int attempts) {
        return new LockPolicy(lockTimeout, attempts, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ZERO);
    }

    public boolean bounded() {
        return !lockTimeout.isZero();
    }

    /** The backoff before attempt {@code attempt} (2 for the first retry), before jitter. */
    public Duration backoffBefore(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(30, Math.max(0, attempt - 2));
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    public String describe() {
        if (!bounded()) {
            return "no lock_timeout, statement_timeout=0 (waits for old snapshots; watched, never cancelled by "
                    + "a timeout)";
        }
        return "lock_timeout=" + lockTimeout.toMillis() + "ms, " + attempts + " attempts with exponential backoff "
                + "and jitter";
    }
}

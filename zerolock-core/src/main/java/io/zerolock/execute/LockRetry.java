package io.zerolock.execute;

import io.zerolock.SqlState;
import io.zerolock.plan.LockPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * A whole run of a migration tool (a Flyway migrate, a Liquibase update) tried again when it stopped on a lock
 * timeout or a deadlock, after a backoff with jitter, a bounded number of times: the policy of zerolock's own
 * statements, for the adapters that cannot retry one statement inside the tool.
 */
public final class LockRetry {

    /** One try of the run. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T run() throws E;
    }

    /** Told before each wait: which try failed, of how many, and how long the wait is. */
    @FunctionalInterface
    public interface Waiting {
        void waiting(int attempt, int attempts, long millis);
    }

    private LockRetry() {}

    /**
     * Runs {@code attempt}; while it fails on a lock (SQLSTATE 55P03 or 40P01 anywhere in the cause chain),
     * {@code retryable} says the failure left nothing half-done, and tries are left, waits and runs it again.
     */
    @SuppressWarnings("unchecked") // what the attempt throws is rethrown as it was
    public static <T, E extends Exception> T run(int attempts, Attempt<T, E> attempt, BooleanSupplier retryable,
            Waiting waiting) throws E {
        LockPolicy policy = LockPolicy.bounded(Duration.ofSeconds(1), attempts);
        for (int tried = 1; ; tried++) {
            try {
                return attempt.run();
            } catch (Exception e) {
                if (!lockTrouble(e) || tried >= attempts || !retryable.getAsBoolean()) {
                    throw (E) e;
                }
                Duration backoff = policy.backoffBefore(tried + 1);
                long sleep = backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
                waiting.waiting(tried, attempts, sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw (E) e;
                }
            }
        }
    }

    /** Whether a failure was a lock timeout or a deadlock. */
    public static boolean lockTrouble(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (SqlState.LOCK_NOT_AVAILABLE.equals(sql.getSQLState())
                    || SqlState.DEADLOCK_DETECTED.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}

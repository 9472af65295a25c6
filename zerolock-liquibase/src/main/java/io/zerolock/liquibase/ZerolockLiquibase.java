package io.zerolock.liquibase;

import io.zerolock.SqlState;
import io.zerolock.plan.LockPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.exception.LiquibaseException;

/**
 * An update that waits for its locks the way zerolock does: one that failed on a lock timeout (with the
 * {@code lock_timeout} every statement runs under) or a deadlock — its changeset taken back whole by
 * PostgreSQL and not recorded — runs again after a backoff with jitter, a bounded number of times, instead of
 * failing the deploy on the first busy moment.
 */
public final class ZerolockLiquibase {

    /** Tries of an update, the first included, as zerolock's own statements. */
    public static final int DEFAULT_ATTEMPTS = 10;

    private ZerolockLiquibase() {}

    public static void update(Liquibase liquibase, Contexts contexts) throws LiquibaseException {
        update(liquibase, contexts, DEFAULT_ATTEMPTS);
    }

    /** {@code liquibase.update(contexts)}, run again while it fails on a lock (SQLSTATE 55P03 or 40P01). */
    @SuppressWarnings("deprecation") // Liquibase.update, the API a library calls
    public static void update(Liquibase liquibase, Contexts contexts, int attempts) throws LiquibaseException {
        LockPolicy policy = LockPolicy.bounded(Duration.ofSeconds(1), attempts);
        for (int attempt = 1; ; attempt++) {
            try {
                liquibase.update(contexts, new LabelExpression());
                return;
            } catch (LiquibaseException e) {
                if (!lockTrouble(e) || attempt >= attempts) {
                    throw e;
                }
                Duration backoff = policy.backoffBefore(attempt + 1);
                long sleep = backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
                Scope.getCurrentScope().getLog(ZerolockLiquibase.class).warning("zerolock: the update stopped on a "
                        + "lock (attempt " + attempt + " of " + attempts + "); PostgreSQL took the changeset back; "
                        + "running the update again in " + sleep + " ms");
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean lockTrouble(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (SqlState.LOCK_NOT_AVAILABLE.equals(sql.getSQLState())
                    || SqlState.DEADLOCK_DETECTED.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}

package io.zerolock.liquibase;

import io.zerolock.execute.LockRetry;
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
        LockRetry.run(attempts, () -> {
            liquibase.update(contexts, new LabelExpression());
            return null;
        }, () -> true, (attempt, of, millis) -> Scope.getCurrentScope().getLog(ZerolockLiquibase.class).warning(
                "zerolock: the update stopped on a lock (attempt " + attempt + " of " + of + "); PostgreSQL took the "
                        + "changeset back; running the update again in " + millis + " ms"));
    }
}

package io.zerolock.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migrate that waits for its locks the way zerolock does: a migration that failed on a lock timeout or a
 * deadlock (with {@link ZerolockCallback}'s {@code lock_timeout}), and that PostgreSQL rolled back whole, is
 * run again after a backoff with jitter, a bounded number of times, instead of failing the deploy on the
 * first busy moment. In Spring Boot: a {@code FlywayMigrationStrategy} bean {@code flyway ->
 * ZerolockFlyway.migrate(flyway)}.
 */
public final class ZerolockFlyway {

    private static final Logger log = LoggerFactory.getLogger(ZerolockFlyway.class);

    /** Tries of a migrate, the first included, as zerolock's own statements. */
    public static final int DEFAULT_ATTEMPTS = 10;

    private ZerolockFlyway() {}

    public static MigrateResult migrate(Flyway flyway) {
        return migrate(flyway, DEFAULT_ATTEMPTS);
    }

    /**
     * {@code flyway.migrate()}, run again while it fails on a lock (SQLSTATE 55P03 or 40P01) and left no failed
     * migration in the history (a migration outside a transaction that failed half-way is not run again: it
     * needs a look, and Flyway's repair).
     */
    public static MigrateResult migrate(Flyway flyway, int attempts) {
        return io.zerolock.execute.LockRetry.run(attempts, flyway::migrate, () -> !failedInHistory(flyway),
                (attempt, of, millis) -> log.warn("zerolock: the migrate stopped on a lock (attempt {} of {}); "
                        + "PostgreSQL took the migration back whole; running it again in {} ms", attempt, of, millis));
    }

    private static boolean failedInHistory(Flyway flyway) {
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getState().isFailed()) {
                return true;
            }
        }
        return false;
    }
}

package io.zerolock.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;

/**
 * Liquibase's changelog lock on PostgreSQL, recoverable: a run that takes the lock writes which backend holds
 * it (its pid and when that backend started) into {@code LOCKEDBY}; a later run that finds the lock taken
 * releases it only when that backend is provably gone (no session with that pid and start time), which is
 * what a killed run leaves (liquibase#1311). A lock taken without that mark (by a Liquibase without
 * zerolock), or by a backend that is alive, is left alone, as Liquibase leaves it. Found by Liquibase
 * through {@code META-INF/services}: having {@code zerolock-liquibase} on the classpath is enough.
 */
public final class ZerolockLockService extends StandardLockService {

    /** {@code zerolock:<pid>@<backend start, epoch seconds>} at the end of {@code LOCKEDBY}. */
    private static final Pattern MARK = Pattern.compile(" zerolock:(\\d+)@([0-9.]+)$");

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (hasChangeLogLock) {
            return true;
        }
        try {
            init();
            recoverStaleLock();
        } catch (DatabaseException | SQLException e) {
            throw new LockException("zerolock: could not look at the changelog lock: " + e.getMessage(), e);
        }
        try {
            ZerolockCheckStep.checkCurrentUpdate(database); // before any changeset runs
        } catch (LockException e) {
            throw e;
        } catch (Exception e) {
            throw new LockException(e.getMessage(), e);
        }
        boolean acquired = super.acquireLock();
        if (acquired) {
            try {
                mark();
            } catch (DatabaseException | SQLException e) {
                throw new LockException("zerolock: could not mark the changelog lock with its holder: "
                        + e.getMessage(), e);
            }
            java.time.Duration timeout = BoundedJdbcExecutor.lockTimeout();
            if (!timeout.isZero()) {
                try {
                    BoundedJdbcExecutor.set(database, timeout); // every statement of the run is bounded
                } catch (DatabaseException e) {
                    throw new LockException(e.getMessage(), e);
                }
            }
        }
        return acquired;
    }

    /** Lets the lock go, and the session's lock_timeout with it (a pooled connection goes back as it came). */
    @Override
    public void releaseLock() throws LockException {
        try {
            if (!BoundedJdbcExecutor.lockTimeout().isZero()) {
                BoundedJdbcExecutor.set(database, null);
            }
        } catch (DatabaseException e) {
            Scope.getCurrentScope().getLog(getClass()).warning("zerolock: could not reset lock_timeout: "
                    + e.getMessage());
        }
        super.releaseLock();
    }

    private Connection connection() {
        return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
    }

    private String lockTable() {
        return database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
                database.getDatabaseChangeLogLockTableName());
    }

    /** Whether the lock table is in the database (not only in the SQL an update-sql run prints). */
    private boolean lockTableExists() throws SQLException, DatabaseException {
        try (PreparedStatement statement = connection().prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, lockTable());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                boolean exists = rows.getBoolean(1);
                database.rollback();
                return exists;
            }
        }
    }

    /** This run's backend, written beside Liquibase's host and address, so a later run can tell it died. */
    private void mark() throws SQLException, DatabaseException {
        if (!lockTableExists()) {
            return;
        }
        try (PreparedStatement statement = connection().prepareStatement("UPDATE " + lockTable() + " SET lockedby = "
                + "left(coalesce(lockedby, ''), 160) || ' zerolock:' || pg_backend_pid() || '@' || (SELECT "
                + "extract(epoch FROM backend_start)::text FROM pg_stat_activity WHERE pid = pg_backend_pid()) "
                + "WHERE id = 1 AND locked")) {
            statement.executeUpdate();
        }
        database.commit();
    }

    /** A lock whose marked holder is gone: released, and said so. */
    private void recoverStaleLock() throws SQLException, DatabaseException {
        if (!lockTableExists()) {
            return; // an update-sql run prints the lock table's creation instead of making it: no lock to look at
        }
        String lockedBy;
        try (PreparedStatement statement = connection().prepareStatement("SELECT lockedby FROM " + lockTable()
                + " WHERE id = 1 AND locked"); ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                database.rollback();
                return;
            }
            lockedBy = rows.getString(1);
        }
        Matcher mark = lockedBy == null ? null : MARK.matcher(lockedBy);
        if (mark == null || !mark.find()) {
            database.rollback();
            Scope.getCurrentScope().getLog(getClass()).info("zerolock: the changelog lock is held by " + lockedBy
                    + ", without zerolock's mark: whether its holder is alive cannot be told, so it is left to "
                    + "Liquibase (release it with liquibase release-locks once you know the holder is gone)");
            return;
        }
        boolean alive;
        try (PreparedStatement statement = connection().prepareStatement("SELECT EXISTS (SELECT 1 FROM "
                + "pg_stat_activity WHERE pid = ? AND extract(epoch FROM backend_start)::text = ?)")) {
            statement.setInt(1, Integer.parseInt(mark.group(1)));
            statement.setString(2, mark.group(2));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                alive = rows.getBoolean(1);
            }
        }
        if (alive) {
            database.rollback();
            return; // its holder runs: Liquibase waits for it, as it should
        }
        int released;
        try (PreparedStatement statement = connection().prepareStatement("UPDATE " + lockTable() + " SET locked = "
                + "false, lockgranted = NULL, lockedby = NULL WHERE id = 1 AND locked AND lockedby = ?")) {
            statement.setString(1, lockedBy);
            released = statement.executeUpdate();
        }
        database.commit();
        if (released == 1) {
            Scope.getCurrentScope().getLog(getClass()).warning("zerolock: released the changelog lock of " + lockedBy
                    + ": its backend (pid " + mark.group(1) + ") is gone, so the run that held it died without "
                    + "releasing it");
        }
    }
}

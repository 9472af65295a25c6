package io.zerolock.liquibase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.executor.jvm.JdbcExecutor;
import liquibase.sql.Sql;
import liquibase.sql.visitor.SqlVisitor;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

/**
 * Liquibase's statements on PostgreSQL, bounded: the session runs under {@code liquibase.zerolock.lockTimeout}
 * (set when the update takes Liquibase's lock, reset when it lets it go), so a statement behind another
 * session's lock fails after it instead of stopping every session queued behind it; a concurrent build or drop
 * runs with none, because it waits for old transactions through the lock manager and a {@code lock_timeout}
 * would cancel it for a transaction that is merely slow, leaving an invalid index. Found by Liquibase through
 * {@code META-INF/services}.
 */
public final class BoundedJdbcExecutor extends JdbcExecutor {

    private static final Pattern CONCURRENT = Pattern.compile("(?i)\\bCONCURRENTLY\\b");

    @Override
    public int getPriority() {
        return PRIORITY_SPECIALIZED;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void execute(SqlStatement statement, List<SqlVisitor> visitors) throws DatabaseException {
        Duration timeout = lockTimeout();
        if (timeout.isZero() || !concurrent(statement)) {
            super.execute(statement, visitors);
            return;
        }
        setLockTimeout(Duration.ZERO);
        try {
            super.execute(statement, visitors);
        } finally {
            setLockTimeout(timeout);
        }
    }

    private boolean concurrent(SqlStatement statement) {
        for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
            if (CONCURRENT.matcher(sql.toSql()).find()) {
                return true;
            }
        }
        return false;
    }

    private void setLockTimeout(Duration timeout) throws DatabaseException {
        set(database, timeout);
    }

    /** {@code liquibase.zerolock.lockTimeout}, parsed; zero leaves the session's. */
    static Duration lockTimeout() {
        return io.zerolock.plan.SettingValues.parseDuration("liquibase.zerolock.lockTimeout",
                ZerolockLiquibaseConfiguration.LOCK_TIMEOUT.getCurrentValue());
    }

    /** Sets the session's {@code lock_timeout} (committed at once: a rolled-back transaction would undo it). */
    static void set(Database database, Duration timeout) throws DatabaseException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return; // offline (update-sql): nothing runs
        }
        Connection connection = jdbc.getUnderlyingConnection();
        try (Statement sql = connection.createStatement()) {
            sql.execute(timeout == null ? "RESET lock_timeout" : "SET lock_timeout = '" + timeout.toMillis() + "ms'");
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new DatabaseException("zerolock: could not set lock_timeout: " + e.getMessage(), e);
        }
    }
}

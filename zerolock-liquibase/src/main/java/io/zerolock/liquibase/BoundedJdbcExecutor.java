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
 * would cancel it for a transaction that is merely slow, leaving an invalid index; and when such a build fails,
 * the invalid index it left is dropped at once. Found by Liquibase through {@code META-INF/services}.
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
        if (!concurrent(statement)) {
            super.execute(statement, visitors);
            return;
        }
        Duration timeout = lockTimeout();
        if (!timeout.isZero()) {
            setLockTimeout(Duration.ZERO);
        }
        try {
            super.execute(statement, visitors);
        } catch (DatabaseException failure) {
            dropFailedBuild(statement, timeout.isZero() ? Duration.ofSeconds(1) : timeout);
            throw failure;
        } finally {
            if (!timeout.isZero()) {
                setLockTimeout(timeout);
            }
        }
    }

    /**
     * A concurrent build that failed (duplicates for a unique index, a cancel) leaves its index invalid, still
     * maintained on every write: dropped at once, concurrently and bounded, through zerolock's engine.
     */
    private void dropFailedBuild(SqlStatement statement, Duration timeout) {
        String schema = null;
        String index = null;
        if (statement instanceof liquibase.statement.core.CreateIndexStatement create) {
            schema = create.getTableSchemaName();
            index = create.getIndexName();
        } else if (statement instanceof liquibase.statement.core.AddUniqueConstraintStatement unique) {
            schema = unique.getSchemaName();
            index = unique.getConstraintName();
        }
        if (index == null) {
            return;
        }
        String name = index;
        OnlineChangeSets.invalidIndex(database, schema, index).ifPresent(target -> {
            try {
                Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
                boolean autocommit = connection.getAutoCommit();
                connection.setAutoCommit(true);
                try {
                    new io.zerolock.execute.Executor(connection).unstoppable().run(
                            io.zerolock.plan.Plan.dropConcurrently(target, "liquibase", "drop-invalid",
                                    "drop the index a failed concurrent build left", target, List.of(),
                                    io.zerolock.plan.LockPolicy.bounded(timeout, 10)));
                    liquibase.Scope.getCurrentScope().getLog(getClass()).warning("zerolock: the concurrent build of "
                            + name + " failed and left it invalid: dropped it concurrently, so the next run builds it "
                            + "again");
                } finally {
                    connection.setAutoCommit(autocommit);
                }
            } catch (SQLException | RuntimeException e) {
                liquibase.Scope.getCurrentScope().getLog(getClass()).warning("zerolock: could not drop the invalid "
                        + "index " + name + " a failed concurrent build left (" + e.getMessage() + "); the next run "
                        + "of the changeset drops it");
            }
        });
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

package io.zerolock.journal;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import io.zerolock.execute.Impact;
import io.zerolock.execute.StepListener;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operation journal in the target database's state schema (default {@code zerolock}), created on the
 * first write with versioned migrations; read-only commands never get here. Every write is one short
 * autocommit statement on a connection of its own, so the journal never holds a transaction or snapshot
 * open while a concurrent build runs (the build would wait for it).
 */
public final class Journal implements StepListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    /** Migration N is at index N-1; never edit one that has shipped, add the next. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE %1$s.operation (
                id bigserial PRIMARY KEY,
                kind text NOT NULL,
                target text NOT NULL,
                index_oid oid,
                table_oid oid,
                strategy text,
                started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                ended_at timestamptz,
                outcome text NOT NULL DEFAULT 'running',
                error text,
                old_size bigint,
                new_size bigint,
                blocked_sessions int,
                max_wait_ms bigint,
                total_wait_ms bigint,
                impact_step text,
                client_pid int NOT NULL,
                backend_pid int NOT NULL DEFAULT pg_backend_pid());
            CREATE TABLE %1$s.step (
                operation_id bigint NOT NULL REFERENCES %1$s.operation ON DELETE CASCADE,
                position int NOT NULL,
                name text NOT NULL,
                sql text[] NOT NULL,
                lock text NOT NULL,
                started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                ended_at timestamptz,
                attempts int,
                outcome text NOT NULL DEFAULT 'running',
                error text,
                PRIMARY KEY (operation_id, position));
            """);

    private final Connection connection;
    private final String schema;
    private long operationId;

    private Journal(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** Opens the journal in {@code schemaName} (an exact name), creating or migrating it first. */
    public static Journal open(Connection connection, String schemaName) {
        String schema = Identifiers.quote(schemaName);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            statement.execute("CREATE TABLE IF NOT EXISTS " + schema + ".migration (version int PRIMARY KEY, "
                    + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            for (int version = 1; version <= MIGRATIONS.size(); version++) {
                migrate(connection, schema, version);
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot create or migrate the state schema "
                    + schemaName + ": " + e.getMessage() + " (--state-schema chooses another)", e);
        }
        return new Journal(connection, schema);
    }

    /** One migration in one short transaction; two zerolocks migrating at once: the second finds it done. */
    private static void migrate(Connection connection, String schema, int version) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            try {
                statement.execute("LOCK TABLE " + schema + ".migration IN EXCLUSIVE MODE");
                try (ResultSet rows = statement.executeQuery("SELECT 1 FROM " + schema + ".migration WHERE version = "
                        + version)) {
                    if (rows.next()) {
                        statement.execute("COMMIT");
                        return;
                    }
                }
                statement.execute(MIGRATIONS.get(version - 1).formatted(schema));
                statement.execute("INSERT INTO " + schema + ".migration (version) VALUES (" + version + ")");
                statement.execute("COMMIT");
                log.atInfo().setMessage("state schema migrated").addKeyValue("schema", schema)
                        .addKeyValue("version", version).log();
            } catch (SQLException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
    }

    public void operationStarted(String kind, Plan plan, long indexOid, long tableOid, long oldSize) {
        operationId = write("INSERT INTO " + schema + ".operation (kind, target, index_oid, table_oid, strategy, "
                + "old_size, client_pid) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", kind, plan.target(), indexOid,
                tableOid, plan.strategy(), oldSize, (int) ProcessHandle.current().pid());
    }

    public void operationEnded(String outcome, String error, long newSize, Impact impact) {
        write("UPDATE " + schema + ".operation SET ended_at = clock_timestamp(), outcome = ?, error = ?, "
                + "new_size = ?, blocked_sessions = ?, max_wait_ms = ?, total_wait_ms = ?, impact_step = ? "
                + "WHERE id = ? RETURNING id", outcome, error, newSize, impact.blockedSessions(),
                impact.maxWaitMillis(), impact.totalWaitMillis(), impact.step(), operationId);
    }

    @Override
    public void stepStarted(int position, Step step) {
        try {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
                    + ".step (operation_id, position, name, sql, lock) VALUES (?, ?, ?, ?, ?)")) {
                statement.setLong(1, operationId);
                statement.setInt(2, position);
                statement.setString(3, step.name());
                statement.setArray(4, connection.createArrayOf("text", step.statements().toArray()));
                statement.setString(5, step.lock().sql());
                statement.execute();
            }
        } catch (SQLException e) {
            journalFailed(e);
        }
    }

    @Override
    public void stepEnded(int position, Step step, int attempts, String error) {
        write("UPDATE " + schema + ".step SET ended_at = clock_timestamp(), attempts = ?, outcome = ?, error = ? "
                + "WHERE operation_id = ? AND position = ? RETURNING position", attempts,
                error == null ? "done" : "failed", error, operationId, position);
    }

    private long write(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            journalFailed(e);
            return 0;
        }
    }

    /** A journal write that fails must not abort a rebuild half-way: say so loudly and carry on. */
    private static void journalFailed(SQLException e) {
        log.atError().setMessage("could not write to the journal; the operation goes on")
                .addKeyValue("error", e.getMessage()).log();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}

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
                started_at timestamptz,
                ended_at timestamptz,
                attempts int,
                outcome text NOT NULL DEFAULT 'pending',
                error text,
                PRIMARY KEY (operation_id, position));
            """, """
            ALTER TABLE %1$s.step ADD COLUMN kind text, ADD COLUMN subject text;
            UPDATE %1$s.step SET kind = 'validate', subject = substr(name, length('validate:') + 1)
                WHERE name LIKE 'validate:%%';
            UPDATE %1$s.step SET kind = 'undo' WHERE kind IS NULL AND name LIKE 'undo:%%';
            UPDATE %1$s.step SET kind = CASE WHEN name LIKE 'reindex%%' THEN 'reindex'
                WHEN name LIKE 'drop%%' THEN 'drop' ELSE name END WHERE kind IS NULL;
            ALTER TABLE %1$s.step ALTER COLUMN kind SET NOT NULL;
            """, """
            ALTER TABLE %1$s.step ADD COLUMN committed_at timestamptz, ADD COLUMN undone_at timestamptz;
            CREATE TABLE %1$s.applied_migration (
                name text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                duration_ms bigint NOT NULL,
                statements int NOT NULL,
                operation_id bigint);
            """, """
            ALTER TABLE %1$s.step ADD COLUMN resume_from bigint, ADD COLUMN note text;
            """, """
            ALTER TABLE %1$s.operation ADD COLUMN estimated_size_after bigint, ADD COLUMN estimate_method text;
            """, """
            CREATE TABLE %1$s.gate_decision (
                id bigserial PRIMARY KEY,
                decided_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                command text NOT NULL,
                target text,
                verdict text NOT NULL,
                signals text[] NOT NULL,
                reasons text NOT NULL);
            """, """
            CREATE VIEW %1$s.history AS
            SELECT o.id, coalesce(o.ended_at, o.started_at) AS "time", o.started_at, o.ended_at, o.kind AS command,
                   o.target, o.strategy, o.outcome, o.error,
                   extract(epoch FROM o.ended_at - o.started_at)::float8 AS duration_s,
                   o.old_size AS size_before, o.new_size AS size_after, o.estimated_size_after, o.estimate_method,
                   CASE WHEN o.outcome = 'done' AND o.old_size > 0 AND o.new_size > 0
                        THEN o.old_size - o.new_size END AS reclaimed_bytes,
                   o.blocked_sessions, o.max_wait_ms, o.total_wait_ms, o.impact_step AS blocked_at_step
            FROM %1$s.operation o;
            """, """
            CREATE TABLE %1$s.queue (
                id bigserial PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('create_index', 'drop_index', 'validate_constraint')),
                schema_name text NOT NULL,
                name text NOT NULL,
                table_schema text NOT NULL,
                table_name text NOT NULL,
                definition text NOT NULL,
                signature text NOT NULL,
                state text NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'held', 'running', 'done', 'failed')),
                attempts int NOT NULL DEFAULT 0,
                max_attempts int NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
                last_error text,
                queued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                queued_by text NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                not_before timestamptz,
                started_at timestamptz,
                finished_at timestamptz);
            CREATE UNIQUE INDEX queue_identity ON %1$s.queue (kind, schema_name, name,
                (CASE WHEN kind = 'validate_constraint' THEN table_name ELSE '' END));
            """);

    private final Connection connection;
    private final String schema;
    private long operationId;

    private Journal(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /**
     * The journal on a connection of its own, for an operation that cannot run without one: when the state
     * schema cannot be made or read, the error says why the operation needs it, and the connection is closed.
     */
    public static Journal openRequired(java.util.function.Supplier<Connection> connect, String schemaName,
            String why) {
        Connection connection = connect.get();
        try {
            return open(connection, schemaName);
        } catch (io.zerolock.ZerolockException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing a connection we no longer need
            }
            throw new io.zerolock.ZerolockException(io.zerolock.ErrorCode.REFUSED, e.getMessage() + "; " + why, e);
        }
    }

    /** A journal that writes nothing: for a role that may not create the state schema. */
    public static Journal disabled() {
        return new Journal(null, null);
    }

    /**
     * Opens the journal, or, when the role may not create or write the state schema, warns and returns a
     * disabled one: the rebuild itself stays safe; only resuming an interrupted run needs the journal.
     */
    public static Journal openOrWarn(java.util.function.Supplier<Connection> connection, String schemaName) {
        Connection opened = connection.get();
        try {
            return open(opened, schemaName);
        } catch (ZerolockException e) {
            String advice = whatToDo(opened, schemaName);
            try {
                opened.close();
            } catch (SQLException ignored) {
                // closing a connection we no longer need
            }
            log.atWarn().setMessage("running without a journal: an interrupted run cannot be resumed; " + advice)
                    .addKeyValue("reason", e.getMessage()).log();
            return disabled();
        }
    }

    /** What would let this role keep its journal in {@code schemaName}, said for the case at hand. */
    private static String whatToDo(Connection connection, String schemaName) {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT current_user, pg_get_userbyid(n.nspowner), has_schema_privilege(n.oid, 'USAGE, CREATE'),
                       has_database_privilege(current_database(), 'CREATE')
                FROM (SELECT 1) one LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = ?
                """)) {
            statement.setString(1, schemaName);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                String role = rows.getString(1);
                String owner = rows.getString(2);
                String schema = Identifiers.quote(schemaName);
                if (owner == null) {
                    return "role " + role + " may not create schema " + schema + ": GRANT CREATE ON DATABASE to it, "
                            + "create the schema for it (CREATE SCHEMA " + schema + " AUTHORIZATION " + role
                            + "), or choose a writable one with --state-schema";
                }
                if (!owner.equals(role)) {
                    return "schema " + schema + " belongs to role " + owner + ", and role " + role + " may not use "
                            + "its journal: as " + owner + " (or a superuser), GRANT USAGE, CREATE ON SCHEMA " + schema
                            + " and ALL PRIVILEGES ON ALL TABLES and SEQUENCES IN SCHEMA " + schema + " TO " + role
                            + ", or choose another schema with --state-schema";
                }
                return "check the privileges on schema " + schema + ", or choose another one with --state-schema";
            }
        } catch (SQLException e) {
            return "choose a writable schema with --state-schema";
        }
    }

    /** Opens the journal in {@code schemaName} (an exact name), creating or migrating it first. */
    public static Journal open(Connection connection, String schemaName) {
        String schema = Identifiers.quote(schemaName);
        if (upToDate(connection, schemaName)) {
            return new Journal(connection, schema); // the common case: one read, no DDL, no lock
        }
        try (Statement statement = connection.createStatement()) {
            // zerolock's state lives in the database's own tablespace, not wherever a role or database
            // setting sends application data
            statement.execute("SET default_tablespace = ''");
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

    /** Whether the state schema exists with every migration applied already. */
    private static boolean upToDate(Connection connection, String schemaName) {
        if (!exists(connection, schemaName)) {
            return false;
        }
        String schema = Identifiers.quote(schemaName);
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT max(version), "
                        + "has_table_privilege(" + io.zerolock.plan.Sql.literal(schema + ".operation") + ", 'INSERT, UPDATE') "
                        + "AND has_table_privilege(" + io.zerolock.plan.Sql.literal(schema + ".step") + ", 'INSERT, UPDATE') "
                        + "FROM " + schema + ".migration")) {
            // and this role may write it: otherwise the full path finds out and runs without a journal
            return rows.next() && rows.getInt(1) >= MIGRATIONS.size() && rows.getBoolean(2);
        } catch (SQLException e) {
            return false; // then the full path says what is wrong
        }
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

    /** Records the operation and its whole plan (every step pending), so a run that dies can be finished. */
    public void operationStarted(String kind, Plan plan, long indexOid, long tableOid, long oldSize) {
        if (connection == null) {
            return;
        }
        operationId = write("INSERT INTO " + schema + ".operation (kind, target, index_oid, table_oid, strategy, "
                + "old_size, client_pid) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", kind, plan.target(), indexOid,
                tableOid, plan.strategy(), oldSize, (int) ProcessHandle.current().pid());
        int position = 0;
        for (Step step : plan.steps()) {
            position++;
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema
                    + ".step (operation_id, position, kind, subject, name, sql, lock) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                statement.setLong(1, operationId);
                statement.setInt(2, position);
                statement.setString(3, step.kind().id());
                statement.setString(4, step.subject());
                statement.setString(5, step.name());
                statement.setArray(6, connection.createArrayOf("text", step.statements().toArray()));
                statement.setString(7, step.lock().sql());
                statement.execute();
            } catch (SQLException e) {
                journalFailed(e);
            }
        }
    }

    /**
     * A foreign key validation that an interrupted run left undone: its swap committed (so the key was
     * re-created NOT VALID), but the VALIDATE never finished.
     */
    /** A decision of the gate, with its reasons, for the history. */
    public void gateDecision(String command, String target, io.zerolock.gate.Decision decision) {
        if (connection == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema + ".gate_decision "
                + "(command, target, verdict, signals, reasons) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, command);
            statement.setString(2, target);
            statement.setString(3, decision.verdict().id());
            statement.setArray(4, connection.createArrayOf("text", decision.signals().stream()
                    .map(io.zerolock.gate.Signal::name).toArray()));
            statement.setString(5, decision.reasons());
            statement.executeUpdate();
        } catch (SQLException e) {
            log.atWarn().setMessage("could not write the gate's decision to the history")
                    .addKeyValue("reason", e.getMessage()).log();
        }
    }

    /**
     * An action that is not a plan run (a queue item added, approved, held, removed), recorded in the history as
     * an operation with no steps, already ended.
     *
     * @param action what was done, in the history's strategy column
     * @param note what to know about it (the definition queued, who asked), in its error column
     */
    public void event(String kind, String target, String action, String note) {
        if (connection == null) {
            return;
        }
        write("INSERT INTO " + schema + ".operation (kind, target, strategy, outcome, ended_at, error, client_pid) "
                + "VALUES (?, ?, ?, 'done', clock_timestamp(), ?, ?) RETURNING id", kind, target, action, note,
                (int) ProcessHandle.current().pid());
    }

    /** The size the operation's index was estimated to have after it, and how that was estimated. */
    public void estimated(long sizeAfter, String method) {
        if (connection == null) {
            return;
        }
        write("UPDATE " + schema + ".operation SET estimated_size_after = ?, estimate_method = ? WHERE id = ? "
                + "RETURNING id", sizeAfter, method, operationId);
    }

    public record PendingValidation(long operationId, int position, String target, String step, String constraint,
            String sql, long tableOid) {}

    /** Pending validations of interrupted runs, of one target (display name) or, with null, of all. */
    public List<PendingValidation> pendingValidations(String target) {
        return pendingValidations(List.of("reindex"), target);
    }

    /** As {@link #pendingValidations(String)}, of operations of these kinds. */
    public List<PendingValidation> pendingValidations(List<String> kinds, String target) {
        List<PendingValidation> pending = new java.util.ArrayList<>();
        if (connection == null) {
            return pending;
        }
        // Not only after a swap journaled as done: a run killed between the swap's COMMIT and the journal's
        // write of it left the key NOT VALID too. VALIDATE of a key that is valid is a no-op, so every
        // unfinished validation of an unfinished operation is pending.
        try (PreparedStatement statement = connection.prepareStatement("SELECT s.operation_id, s.position, o.target, "
                + "s.name, s.subject, s.sql[1], o.table_oid FROM " + schema + ".step s JOIN " + schema + ".operation o "
                + "ON o.id = s.operation_id WHERE o.outcome <> 'done' AND s.kind = 'validate' AND o.kind = ANY (?) "
                + "AND s.outcome <> 'done' AND (?::text IS NULL OR o.target = ?) "
                + "ORDER BY s.operation_id, s.position")) {
            statement.setArray(1, connection.createArrayOf("text", kinds.toArray()));
            statement.setString(2, target);
            statement.setString(3, target);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pending.add(new PendingValidation(rows.getLong(1), rows.getInt(2), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(7)));
                }
            }
        } catch (SQLException e) {
            journalFailed(e);
        }
        return pending;
    }

    /** A pending validation is done now; its operation too, once nothing of it is left. */
    public void resumed(PendingValidation validation) {
        write("UPDATE " + schema + ".step SET outcome = 'done', ended_at = clock_timestamp(), error = NULL "
                + "WHERE operation_id = ? AND position = ? RETURNING position", validation.operationId(),
                validation.position());
        write("UPDATE " + schema + ".operation SET outcome = 'done', ended_at = clock_timestamp() WHERE id = ? "
                + "AND NOT EXISTS (SELECT 1 FROM " + schema + ".step WHERE operation_id = ? AND outcome <> 'done') "
                + "RETURNING id", validation.operationId(), validation.operationId());
    }

    /**
     * An operation whose run died before it ended (killed, its connection lost, the server stopped): its
     * outcome is still {@code running} but the journal connection that wrote it is gone.
     *
     * @param steps each step's name and outcome, in plan order
     */
    public record Unfinished(long id, String kind, String target, long indexOid, long tableOid, String strategy,
            String outcome, java.util.Map<String, String> steps) {

        /** Still marked running: its run died before it could say how it ended. */
        public boolean running() {
            return outcome.equals("running");
        }
    }

    /**
     * Operations that may have left something: those still marked running whose run is provably gone (no
     * backend with the journal connection's pid that started before the operation is alive), and those
     * that failed or were interrupted with no later run of the same target done since (their undo may not
     * have finished: the server went away under it). Of one target (display name), or with null, of all.
     */
    public List<Unfinished> unfinished(String target) {
        return unfinished(INDEX_OPERATIONS, target);
    }

    /** The kinds of operation whose leftovers are indexes, which reindex, cleanup and resume repair. */
    private static final List<String> INDEX_OPERATIONS = List.of("reindex", "cleanup");

    /** As {@link #unfinished(String)}, of operations of these kinds. */
    public List<Unfinished> unfinished(List<String> kinds, String target) {
        return unfinished(kinds, target, false);
    }

    /**
     * As {@link #unfinished(List, String)}, for a caller holding the lock that every run of these kinds
     * holds while it runs: an operation still marked running is then dead, even while the server has not yet
     * noticed that its connection is gone.
     */
    public List<Unfinished> unfinishedWhileExclusive(List<String> kinds, String target) {
        return unfinished(kinds, target, true);
    }

    private List<Unfinished> unfinished(List<String> kinds, String target, boolean exclusive) {
        List<Unfinished> found = new java.util.ArrayList<>();
        if (connection == null) {
            return found;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT o.id, o.kind, o.target, o.index_oid, "
                + "o.table_oid, o.strategy, o.outcome, (SELECT array_agg(s.name || '=' || s.outcome ORDER BY "
                + "s.position) FROM " + schema + ".step s WHERE s.operation_id = o.id) FROM " + schema + ".operation o "
                + "WHERE o.kind = ANY (?) AND (?::text IS NULL OR o.target = ?) AND ((o.outcome = 'running' AND (? OR NOT "
                + "EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.pid = o.backend_pid "
                + "AND a.backend_start <= o.started_at))) "
                + "OR (o.outcome IN ('failed', 'interrupted') AND NOT EXISTS (SELECT 1 FROM " + schema + ".operation "
                + "later WHERE later.target = o.target AND later.id > o.id AND later.outcome = 'done'))) "
                + "ORDER BY o.id")) {
            statement.setArray(1, connection.createArrayOf("text", kinds.toArray()));
            statement.setString(2, target);
            statement.setString(3, target);
            statement.setBoolean(4, exclusive);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    java.util.Map<String, String> steps = new java.util.LinkedHashMap<>();
                    java.sql.Array array = rows.getArray(8);
                    if (array != null) {
                        for (Object entry : (Object[]) array.getArray()) {
                            String text = (String) entry;
                            int at = text.lastIndexOf('=');
                            steps.put(text.substring(0, at), text.substring(at + 1));
                        }
                    }
                    found.add(new Unfinished(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getLong(4),
                            rows.getLong(5), rows.getString(6), rows.getString(7), steps));
                }
            }
        } catch (SQLException e) {
            journalFailed(e);
        }
        return found;
    }

    /**
     * The positions of an operation's steps that finished: journaled done, or committed (a transactional
     * step whose run died between its COMMIT and the journal's write of it).
     */
    public java.util.Set<Integer> completedSteps(long id) {
        return positions(id, "(outcome = 'done' OR committed_at IS NOT NULL) AND undone_at IS NULL");
    }

    /** The positions of an operation's steps that meet a condition on the step table's columns. */
    private java.util.Set<Integer> positions(long id, String condition) {
        java.util.Set<Integer> positions = new java.util.TreeSet<>();
        if (connection == null) {
            return positions;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT position FROM " + schema + ".step "
                + "WHERE operation_id = ? AND " + condition)) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    positions.add(rows.getInt(1));
                }
            }
        } catch (SQLException e) {
            journalFailed(e);
        }
        return positions;
    }

    /** The subject of an operation's step, by the step's name; null when it has none. */
    public String stepSubject(long id, String step) {
        if (connection == null) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT subject FROM " + schema + ".step "
                + "WHERE operation_id = ? AND name = ?")) {
            statement.setLong(1, id);
            statement.setString(2, step);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            journalFailed(e);
            return null;
        }
    }

    /** The positions of an operation's steps that a later failure undid. */
    public java.util.Set<Integer> undoneSteps(long id) {
        return positions(id, "undone_at IS NOT NULL");
    }

    /** Gives an operation of a dead run its final outcome, with what was done to finish it. */
    public void finish(long id, String outcome, String note) {
        write("UPDATE " + schema + ".operation SET ended_at = clock_timestamp(), outcome = ?, error = ? WHERE id = ? "
                + "AND outcome = 'running' RETURNING id", outcome, note, id);
    }

    /** Adds what a later repair did to an operation that had already ended. */
    public void noteRepair(long id, String note) {
        write("UPDATE " + schema + ".operation SET error = coalesce(error || '; ', '') || ? WHERE id = ? RETURNING id",
                note, id);
    }

    /** Whether a state schema with a journal exists; read-only, creates nothing. */
    public static boolean exists(Connection connection, String schemaName) {
        return hasTable(connection, schemaName, "operation");
    }

    /** Whether the state schema has this table (its migration ran); read-only, creates nothing. */
    public static boolean hasTable(Connection connection, String schemaName, String table) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(quote_ident(?) || '.' || quote_ident(?)) IS NOT NULL")) {
            statement.setString(1, schemaName);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    public void operationEnded(String outcome, String error, long newSize, Impact impact) {
        write("UPDATE " + schema + ".operation SET ended_at = clock_timestamp(), outcome = ?, error = ?, "
                + "new_size = ?, blocked_sessions = ?, max_wait_ms = ?, total_wait_ms = ?, impact_step = ? "
                + "WHERE id = ? RETURNING id", outcome, error, newSize, impact.blockedSessions(),
                impact.maxWaitMillis(), impact.totalWaitMillis(), impact.step(), operationId);
    }

    /** Inside the step's transaction: marks the step committed exactly when its transaction commits. */
    @Override
    public String commitMarker(int position) {
        if (connection == null || operationId == 0) {
            return null;
        }
        return "UPDATE " + schema + ".step SET committed_at = clock_timestamp() WHERE operation_id = " + operationId
                + " AND position = " + position;
    }

    @Override
    public String progressMarker(int position, long resumeFrom) {
        if (connection == null || operationId == 0) {
            return null;
        }
        return "UPDATE " + schema + ".step SET resume_from = " + resumeFrom + " WHERE operation_id = " + operationId
                + " AND position = " + position;
    }

    @Override
    public void stepNote(int position, String note) {
        // appended, the latest 2000 characters kept: every wait of a step that retried many times stays readable
        write("UPDATE " + schema + ".step SET note = right(coalesce(note || '; ', '') || ?, 2000) "
                + "WHERE operation_id = ? AND position = ? RETURNING position", note, operationId, position);
    }

    /** What this operation's step at {@code position} noted (a backfill's rows and pauses, lock waits); null if nothing. */
    public String note(int position) {
        if (connection == null) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT note FROM " + schema + ".step "
                + "WHERE operation_id = ? AND position = ?")) {
            statement.setLong(1, operationId);
            statement.setInt(2, position);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            journalFailed(e);
            return null;
        }
    }

    /** Where a backfill step of an operation had got to: the key its next batch starts from; null if none. */
    public Long resumeFrom(long id, int position) {
        if (connection == null) {
            return null;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT resume_from FROM " + schema + ".step "
                + "WHERE operation_id = ? AND position = ?")) {
            statement.setLong(1, id);
            statement.setInt(2, position);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    long value = rows.getLong(1);
                    return rows.wasNull() ? null : value;
                }
                return null;
            }
        } catch (SQLException e) {
            journalFailed(e);
            return null;
        }
    }

    /** The state schema, quoted, for the capabilities that keep their own tables in it; null when disabled. */
    public String schema() {
        return schema;
    }

    /** The journal's connection (autocommit, never in a transaction), or null when disabled. */
    public Connection connection() {
        return connection;
    }

    /** The id of the operation this journal is recording. */
    public long operationId() {
        return operationId;
    }

    @Override
    public void stepUndone(int position, Step step) {
        write("UPDATE " + schema + ".step SET undone_at = clock_timestamp() WHERE operation_id = ? "
                + "AND position = ? RETURNING position", operationId, position);
    }

    @Override
    public void stepStarted(int position, Step step) {
        write("UPDATE " + schema + ".step SET started_at = clock_timestamp(), outcome = 'running' "
                + "WHERE operation_id = ? AND position = ? RETURNING position", operationId, position);
    }

    @Override
    public void stepEnded(int position, Step step, int attempts, String error) {
        write("UPDATE " + schema + ".step SET ended_at = clock_timestamp(), attempts = ?, outcome = ?, error = ? "
                + "WHERE operation_id = ? AND position = ? RETURNING position", attempts,
                error == null ? "done" : "failed", error, operationId, position);
    }

    private long write(String sql, Object... parameters) {
        if (connection == null) {
            return 0;
        }
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
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}

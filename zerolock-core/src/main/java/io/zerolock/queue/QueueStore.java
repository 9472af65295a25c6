package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queue's table in the state schema: every write one short autocommit statement (or, for a file's items,
 * one short transaction), so no connection of zerolock holds a transaction while a build runs. A worker or
 * apply that runs an item holds the item's session advisory lock; a {@code running} item whose lock nobody
 * holds belongs to a run that died.
 */
final class QueueStore {

    /** The first key of an item's advisory lock ("zlqu"); the second is the item's id. */
    private static final int ITEM_NAMESPACE = 0x7A6C7175;

    private final Connection connection;
    private final String schema;

    /** @param schema the state schema, quoted */
    QueueStore(Connection connection, String schema) {
        if (connection == null) {
            throw new ZerolockException(ErrorCode.REFUSED, "the queue lives in the state schema, which this role "
                    + "cannot create or write: see the warning above, or choose another schema with --state-schema");
        }
        this.connection = connection;
        this.schema = schema;
    }

    private static final String COLUMNS = "id, kind, schema_name, name, table_schema, table_name, definition, "
            + "signature, state, attempts, max_attempts, last_error, queued_at, queued_by, updated_at, not_before, "
            + "started_at, finished_at";

    /** A new item, to be inserted. */
    record NewItem(ItemKind kind, QualifiedName name, QualifiedName table, String definition, String signature,
            ItemState state, int maxAttempts, String queuedBy) {}

    /** Inserts the items in one transaction: all of them or, when one is refused, none. */
    List<QueueItem> insert(List<NewItem> items) {
        List<QueueItem> inserted = new ArrayList<>();
        try {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema + ".queue (kind, "
                    + "schema_name, name, table_schema, table_name, definition, signature, state, max_attempts, "
                    + "queued_by, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN "
                    + "clock_timestamp() END) RETURNING " + COLUMNS)) {
                for (NewItem item : items) {
                    statement.setString(1, item.kind().id());
                    statement.setString(2, item.name().schema());
                    statement.setString(3, item.name().name());
                    statement.setString(4, item.table().schema());
                    statement.setString(5, item.table().name());
                    statement.setString(6, item.definition());
                    statement.setString(7, item.signature());
                    statement.setString(8, item.state().id());
                    statement.setInt(9, item.maxAttempts());
                    statement.setString(10, item.queuedBy());
                    statement.setBoolean(11, item.state() == ItemState.DONE);
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                        inserted.add(item(rows));
                    }
                }
            }
            connection.commit();
            return inserted;
        } catch (SQLException e) {
            rollback();
            throw failed("queue the items", e);
        } finally {
            autocommit();
        }
    }

    List<QueueItem> all() {
        return select("ORDER BY id");
    }

    /** Items a worker may run now: queued, past their backoff, oldest first. */
    List<QueueItem> due() {
        return select("WHERE state = 'queued' AND (not_before IS NULL OR not_before <= clock_timestamp()) ORDER BY id");
    }

    /** Items left {@code running}: by a live run (its lock is held) or a dead one. */
    List<QueueItem> running() {
        return select("WHERE state = 'running' ORDER BY id");
    }

    Optional<QueueItem> byId(long id) {
        return select("WHERE id = " + id).stream().findFirst();
    }

    /** The item of this kind with this identity, whatever its state. */
    Optional<QueueItem> same(ItemKind kind, QualifiedName name, QualifiedName table) {
        return all().stream().filter(item -> item.kind() == kind && item.name().equals(name)
                && (kind != ItemKind.VALIDATE_CONSTRAINT || item.table().equals(table))).findFirst();
    }

    /** Moves an item from one of {@code from} to {@code to}; false when it was in none of them. */
    boolean move(long id, List<ItemState> from, ItemState to, boolean resetAttempts) {
        return update("UPDATE " + schema + ".queue SET state = ?, updated_at = clock_timestamp()"
                + (resetAttempts ? ", attempts = 0, last_error = NULL, not_before = NULL" : "")
                + " WHERE id = ? AND state = ANY (?)", to.id(), id, from);
    }

    /** A run starts it: {@code running}, one attempt more. */
    boolean started(long id) {
        return update("UPDATE " + schema + ".queue SET state = 'running', attempts = attempts + 1, started_at = "
                + "clock_timestamp(), updated_at = clock_timestamp() WHERE id = ? AND state = ANY (?)", id,
                List.of(ItemState.QUEUED, ItemState.RUNNING));
    }

    /** A run ended: done, failed, or queued again after {@code notBefore}; {@code error} null when done. */
    void ended(long id, ItemState state, String error, Instant notBefore) {
        update("UPDATE " + schema + ".queue SET state = ?, last_error = ?, not_before = ?, updated_at = "
                + "clock_timestamp(), finished_at = CASE WHEN ? = 'done' THEN clock_timestamp() END WHERE id = ?",
                state.id(), error, notBefore == null ? null : Timestamp.from(notBefore), state.id(), id);
    }

    boolean delete(long id) {
        return update("DELETE FROM " + schema + ".queue WHERE id = ?", id);
    }

    /**
     * Takes the item's advisory lock on {@code holder} (an idle connection of the run), without waiting;
     * false when another run holds it.
     */
    static boolean lock(Connection holder, long id) {
        return advisory(holder, "pg_try_advisory_lock", id);
    }

    static void unlock(Connection holder, long id) {
        advisory(holder, "pg_advisory_unlock", id);
    }

    private static boolean advisory(Connection holder, String function, long id) {
        try (PreparedStatement statement = holder.prepareStatement("SELECT " + function + "(?, ?)")) {
            statement.setInt(1, ITEM_NAMESPACE);
            statement.setInt(2, (int) id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        } catch (SQLException e) {
            throw failed("take the item's advisory lock", e);
        }
    }

    private boolean update(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter instanceof List<?> states) {
                    statement.setArray(i + 1, connection.createArrayOf("text", states.stream()
                            .map(state -> ((ItemState) state).id()).toArray()));
                } else {
                    statement.setObject(i + 1, parameter);
                }
            }
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("update the queue", e);
        }
    }

    private List<QueueItem> select(String rest) {
        List<QueueItem> items = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM " + schema
                + ".queue " + rest); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                items.add(item(rows));
            }
        } catch (SQLException e) {
            throw failed("read the queue", e);
        }
        return items;
    }

    private static QueueItem item(ResultSet rows) throws SQLException {
        return new QueueItem(rows.getLong(1), ItemKind.of(rows.getString(2)),
                QualifiedName.of(rows.getString(3), rows.getString(4)),
                QualifiedName.of(rows.getString(5), rows.getString(6)), rows.getString(7), rows.getString(8),
                new QueueItem.Progress(ItemState.of(rows.getString(9)), rows.getInt(10), rows.getInt(11),
                        rows.getString(12)),
                new QueueItem.Times(instant(rows, 13), rows.getString(14), instant(rows, 15), instant(rows, 16),
                        instant(rows, 17), instant(rows, 18)));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp timestamp = rows.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the failure
        }
    }

    private void autocommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; its next use says so
        }
    }

    private static ZerolockException failed(String what, SQLException e) {
        return new ZerolockException(ErrorCode.OPERATION_FAILED, "could not " + what + ": " + e.getMessage(), e);
    }
}

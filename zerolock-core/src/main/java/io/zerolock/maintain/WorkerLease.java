package io.zerolock.maintain;

import io.zerolock.catalog.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The per-database lease of the worker: a session-level advisory lock (keyed by the state schema) on a
 * connection held for the whole pass. Only one worker passes over a database at a time; the lease ends
 * with its session, so a worker that dies (killed, its host gone) frees it for the next pass at once.
 */
final class WorkerLease implements AutoCloseable {

    private static final int NAMESPACE = 0x7a6c776b; // "zlwk"

    private final Connection connection;
    private final int key;

    private WorkerLease(Connection connection, int key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lease, or empty with the holder described in {@code holder[0]} when another worker has it. */
    static Optional<WorkerLease> take(Connection connection, String stateSchema, String[] holder)
            throws SQLException {
        int key = Identifiers.quote(stateSchema).hashCode();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (rows.getBoolean(1)) {
                    return Optional.of(new WorkerLease(connection, key));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 'pid ' || a.pid || ' (' || coalesce(nullif(a.application_name, ''), '-') || ', '
                       || coalesce(a.client_addr::text, 'local') || ', since ' || a.backend_start || ')'
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ?::int::oid AND l.objid = ?::int::oid
                  AND l.objsubid = 2 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                holder[0] = rows.next() ? rows.getString(1) : "a session that has just ended";
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, NAMESPACE);
            statement.setInt(2, key);
            statement.execute();
        }
    }
}

package io.zerolock.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Who holds relation locks in this database now, on one line for an error message: for each other session,
 * its pid, application, user, state, how long its transaction has been open, the lock, the relation and the
 * start of its query.
 */
public final class LockHolders {

    private static final String SESSIONS = """
            SELECT string_agg(DISTINCT 'pid ' || a.pid || ' (' || coalesce(nullif(a.application_name, ''), '-')
                   || ', user ' || coalesce(a.usename::text, '-') || ', ' || coalesce(a.state, '-')
                   || ', transaction open ' || coalesce(extract(epoch FROM clock_timestamp() - a.xact_start)::bigint
                   || 's', '-') || ', ' || l.mode || ' on ' || l.relation::regclass::text || ', query "'
                   || left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 100) || '")', '; ')
            FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.granted AND a.pid <> pg_backend_pid()
              AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
              AND %s
            """;

    private LockHolders() {}

    /** The sessions holding any lock on these relations; empty when none does any more. */
    public static Optional<String> on(Connection connection, List<QualifiedName> relations) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SESSIONS.formatted(
                "l.relation IN (SELECT to_regclass(name)::oid FROM unnest(?::text[]) name)"))) {
            statement.setArray(1, connection.createArrayOf("text",
                    relations.stream().map(QualifiedName::sql).toArray()));
            return first(statement);
        }
    }

    /** The sessions holding an ACCESS EXCLUSIVE lock (VACUUM FULL, CLUSTER, most ALTER TABLE) on any relation. */
    public static Optional<String> exclusive(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                SESSIONS.formatted("l.mode = 'AccessExclusiveLock'"))) {
            return first(statement);
        }
    }

    private static Optional<String> first(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }
}

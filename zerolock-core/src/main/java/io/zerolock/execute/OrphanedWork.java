package io.zerolock.execute;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.QualifiedName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server keeps running a statement whose client was killed until the statement ends (PostgreSQL
 * notices a closed connection only when it next reads or writes it). So a zerolock killed during a
 * build leaves a backend still building, holding SHARE UPDATE EXCLUSIVE on the table. Such a backend is
 * an orphan only when the run that owns it is provably gone: every live run {@link #claim claims} its
 * work backend with a session advisory lock held on its (idle) catalog connection, which the server
 * releases the moment that client dies. A zerolock backend working on the table whose claim nobody
 * holds is cancelled, and this run waits for it to end; a live run's backend is never touched.
 */
public final class OrphanedWork {

    private static final Logger log = LoggerFactory.getLogger(OrphanedWork.class);
    /** The statements zerolock runs outside a transaction; an application's statements never match. */
    private static final String OURS = "^\\s*(/\\* zerolock queue \\*/ "
            + "|CREATE (UNIQUE )?INDEX CONCURRENTLY \"?zerolock_|REINDEX INDEX CONCURRENTLY "
            + "|DROP INDEX CONCURRENTLY IF EXISTS |ALTER TABLE .* VALIDATE CONSTRAINT )";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The first key of a run's claim on its work backend ("zlru"); the second key is that backend's pid. */
    private static final int CLAIM_NAMESPACE = 0x7A6C7275;

    private OrphanedWork() {}

    /**
     * Marks {@code workPid} as the work backend of a live run, for as long as {@code idleConnection} (a
     * connection that never runs long statements: the catalog connection) is open or until closed.
     */
    public static AutoCloseable claim(Connection idleConnection, int workPid) {
        try (PreparedStatement statement = idleConnection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            statement.setInt(1, CLAIM_NAMESPACE);
            statement.setInt(2, workPid);
            statement.execute();
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot mark this run's backend as alive: "
                    + e.getMessage(), e);
        }
        return () -> {
            try (PreparedStatement statement = idleConnection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                statement.setInt(1, CLAIM_NAMESPACE);
                statement.setInt(2, workPid);
                statement.execute();
            } catch (SQLException e) {
                log.atDebug().setMessage("claim release failed; it ends with the session").log();
            }
        };
    }

    /**
     * Stops the orphans of killed zerolock runs that still work on this table; call it holding the
     * table's advisory lock. {@code ourPids} are this run's own backends.
     */
    public static void stop(Connection connection, long tableOid, QualifiedName table, List<Integer> ourPids) {
        try {
            List<String> orphans = find(connection, tableOid, ourPids);
            if (orphans.isEmpty()) {
                return;
            }
            log.atWarn().setMessage("a killed zerolock run left its statement running on the server; cancelling it")
                    .addKeyValue("table", table.display()).addKeyValue("backends", String.join("; ", orphans)).log();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!orphans.isEmpty()) {
                cancel(connection, tableOid, ourPids);
                if (System.nanoTime() > deadline) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "a backend of an earlier, killed zerolock "
                            + "run still works on " + table.display() + " and did not stop when cancelled ("
                            + String.join("; ", orphans) + "); nothing was changed: end it with "
                            + "pg_terminate_backend, then run again");
                }
                Thread.sleep(200);
                orphans = find(connection, tableOid, ourPids);
            }
            log.atInfo().setMessage("the orphaned statement ended").addKeyValue("table", table.display()).log();
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot look for orphaned zerolock backends on "
                    + table.display() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "interrupted while waiting for an orphaned "
                    + "zerolock backend on " + table.display());
        }
    }

    private static final String ORPHANS = """
            SELECT DISTINCT a.pid,
                   'pid=' || a.pid || ' state=' || coalesce(a.state, '-') || ' query="'
                   || left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120) || '"'
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.relation::bigint = ?
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND a.application_name = current_setting('application_name')
              AND a.pid <> pg_backend_pid() AND NOT a.pid = ANY (?)
              AND a.state = 'active' AND a.query ~* ?
              AND NOT EXISTS (SELECT 1 FROM pg_locks claim WHERE claim.locktype = 'advisory' AND claim.granted
                              AND claim.objsubid = 2 AND claim.classid::bigint = %d AND claim.objid::bigint = a.pid)
            """.formatted(CLAIM_NAMESPACE);

    private static List<String> find(Connection connection, long tableOid, List<Integer> ourPids)
            throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(ORPHANS)) {
            bind(connection, statement, tableOid, ourPids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(2));
                }
            }
        }
        return found;
    }

    private static void cancel(Connection connection, long tableOid, List<Integer> ourPids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_cancel_backend(pid) FROM (" + ORPHANS + ") orphans "
                        // only those this role may signal; the others are waited for
                        + "WHERE pg_has_role(current_user, (SELECT usesysid FROM pg_stat_activity a "
                        + "WHERE a.pid = orphans.pid), 'MEMBER')")) {
            bind(connection, statement, tableOid, ourPids);
            statement.execute();
        }
    }

    private static void bind(Connection connection, PreparedStatement statement, long tableOid, List<Integer> ourPids)
            throws SQLException {
        statement.setLong(1, tableOid);
        statement.setArray(2, connection.createArrayOf("int4", ourPids.toArray()));
        statement.setString(3, OURS);
    }
}

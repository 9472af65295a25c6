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
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One zerolock action per table at a time, across processes and hosts: a session-level advisory lock
 * keyed by the table's OID, held on a connection that is otherwise idle (never inside a transaction, so
 * a concurrent build never waits for it). Released on {@link #close()} or when the session ends.
 */
public final class TableLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TableLock.class);
    /** "zero" in the high 32 bits keeps zerolock's keys apart from the application's own advisory locks. */
    private static final long NAMESPACE = 0x7A65726FL << 32;

    private static final String UNKNOWN_HOLDER = "holder unknown";

    private final Connection connection;
    private final long key;
    private final List<TableLock> others;

    private TableLock(Connection connection, long key, List<TableLock> others) {
        this.connection = connection;
        this.key = key;
        this.others = List.copyOf(others);
    }

    /**
     * Takes the lock of every table a plan touches (the index's table and those whose foreign keys it
     * validates), in ascending OID order so that two runs never wait for each other in a circle. If one
     * cannot be had within {@code wait}, the ones already taken are released and the failure names the
     * holder.
     */
    public static TableLock acquireAll(Connection connection, Map<Long, QualifiedName> tables, Duration wait) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no table to lock");
        }
        List<TableLock> taken = new ArrayList<>();
        try {
            for (Map.Entry<Long, QualifiedName> table : new TreeMap<>(tables).entrySet()) {
                taken.add(acquire(connection, table.getKey(), table.getValue(), wait));
            }
        } catch (RuntimeException failure) {
            taken.forEach(TableLock::close);
            throw failure;
        }
        TableLock first = taken.get(0);
        return new TableLock(connection, first.key, taken.subList(1, taken.size()));
    }

    /**
     * Takes the table's lock; if another zerolock holds it, waits up to {@code wait} (polling each
     * second), then fails with who holds it.
     */
    public static TableLock acquire(Connection connection, long tableOid, QualifiedName table, Duration wait) {
        long key = NAMESPACE | (tableOid & 0xFFFFFFFFL);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean logged = false;
        try {
            while (true) {
                if (tryLock(connection, key)) {
                    return new TableLock(connection, key, List.of());
                }
                String holder = holder(connection, key);
                if (System.nanoTime() >= deadline) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "another zerolock is working on table "
                            + table.display() + " (" + holder + "); nothing was changed: run again later, or use "
                            + "--wait to queue behind it");
                }
                if (!logged) {
                    log.atInfo().setMessage("waiting for another zerolock on the same table")
                            .addKeyValue("table", table.display()).addKeyValue("holder", holder).log();
                    logged = true;
                }
                Thread.sleep(1000);
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot take zerolock's advisory lock on "
                    + table.display() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "interrupted while waiting for " + table.display());
        }
    }

    /** Takes the table's lock if no other zerolock holds it; empty, at once, when one does. */
    public static java.util.Optional<TableLock> tryAcquire(Connection connection, long tableOid) {
        long key = NAMESPACE | (tableOid & 0xFFFFFFFFL);
        try {
            return tryLock(connection, key) ? java.util.Optional.of(new TableLock(connection, key, List.of()))
                    : java.util.Optional.empty();
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot take zerolock's advisory lock on table "
                    + tableOid + ": " + e.getMessage(), e);
        }
    }

    /** Who holds zerolock's lock on this table now (pid, application, since when), if anyone. */
    public static java.util.Optional<String> holderOf(Connection connection, long tableOid) {
        try {
            String holder = holder(connection, NAMESPACE | (tableOid & 0xFFFFFFFFL));
            return holder.equals(UNKNOWN_HOLDER) ? java.util.Optional.empty() : java.util.Optional.of(holder);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot read pg_locks: " + e.getMessage(), e);
        }
    }

    /** The advisory lock key, as {@code pg_locks} shows it: classid (high 32 bits) and objid (low). */
    public long key() {
        return key;
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static String holder(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 'pid ' || a.pid || ', application_name ' || coalesce(nullif(a.application_name, ''), '-')
                       || ', since ' || to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS')
                FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid::bigint = ? AND l.objid::bigint = ?
                """)) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : UNKNOWN_HOLDER;
            }
        }
    }

    @Override
    public void close() {
        others.forEach(TableLock::close);
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        } catch (SQLException e) {
            log.atDebug().setMessage("advisory unlock failed; the lock ends with the session").log();
        }
    }
}

package io.zerolock.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What the server says of its health right now, as far as maintenance cares: whether it is a standby, how
 * far its standbys are behind, the oldest open transaction, the WAL replication slots hold back, whether WAL
 * archiving keeps up, and an anti-wraparound autovacuum on a table. One place reads these; the gate and the
 * backfill's throttle judge them.
 *
 * @param replicaLagMillis the longest {@code replay_lag} of any standby (0 with none)
 * @param replicaBytesBehind the most WAL any standby has left to replay (0 with none)
 * @param archiver null when archiving is off (or the role may not see it)
 * @param wraparoundVacuumPid the pid of an anti-wraparound autovacuum of the table asked about, else null
 */
public record ServerHealth(boolean standby, long replicaLagMillis, long replicaBytesBehind,
        Optional<OldTransaction> oldestTransaction, Optional<RetainingSlot> retainingSlot, Archiver archiver,
        Integer wraparoundVacuumPid) {

    /** The oldest transaction open in this database, other than the reader's own. */
    public record OldTransaction(int pid, long ageMillis, String application, String user, String query) {

        public String describe() {
            return "pid " + pid + " (" + application + ", " + user + "), open " + ageMillis / 1000 + " s: " + query;
        }
    }

    /** The replication slot holding back the most WAL. */
    public record RetainingSlot(String name, long bytes, boolean active) {}

    /**
     * WAL archiving: segments written but not yet archived, and whether the last attempt failed.
     *
     * @param backlogSegments null when the archiver has archived nothing yet
     */
    public record Archiver(Long backlogSegments, boolean failing, String lastFailedWal) {}

    /** Reads every signal; {@code tableOid} (or null) is the table an anti-wraparound vacuum is looked for on. */
    public static ServerHealth read(Connection connection, Long tableOid) throws SQLException {
        boolean standby;
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.pg_is_in_recovery()");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            standby = rows.getBoolean(1);
        }
        long lag = 0;
        long behind = 0;
        Optional<RetainingSlot> slot = Optional.empty();
        Archiver archiver = null;
        if (!standby) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0)::bigint,
                           coalesce(max(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(),
                                    coalesce(replay_lsn, '0/0'))), 0)::bigint
                    FROM pg_catalog.pg_stat_replication
                    """); ResultSet rows = statement.executeQuery()) {
                rows.next();
                lag = rows.getLong(1);
                behind = rows.getLong(2);
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT slot_name, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), restart_lsn)::bigint,
                           active
                    FROM pg_catalog.pg_replication_slots WHERE restart_lsn IS NOT NULL
                    ORDER BY 2 DESC LIMIT 1
                    """); ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    slot = Optional.of(new RetainingSlot(rows.getString(1), rows.getLong(2), rows.getBoolean(3)));
                }
            }
            archiver = archiver(connection);
        }
        Optional<OldTransaction> oldest = Optional.empty();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pid, (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint,
                       coalesce(nullif(application_name, ''), '-'), coalesce(usename::text, '-'),
                       left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 120)
                FROM pg_catalog.pg_stat_activity
                WHERE xact_start IS NOT NULL AND pid <> pg_catalog.pg_backend_pid()
                  AND datname = current_database() AND backend_type = 'client backend'
                ORDER BY xact_start LIMIT 1
                """); ResultSet rows = statement.executeQuery()) {
            if (rows.next()) {
                oldest = Optional.of(new OldTransaction(rows.getInt(1), rows.getLong(2), rows.getString(3),
                        rows.getString(4), rows.getString(5)));
            }
        }
        Integer wraparound = null;
        if (tableOid != null) {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT v.pid FROM pg_catalog.pg_stat_progress_vacuum v
                    JOIN pg_catalog.pg_stat_activity a ON a.pid = v.pid
                    WHERE v.relid = ? AND a.query LIKE '%(to prevent wraparound)%'
                    """)) {
                statement.setLong(1, tableOid);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        wraparound = rows.getInt(1);
                    }
                }
            }
        }
        return new ServerHealth(standby, lag, behind, oldest, slot, archiver, wraparound);
    }

    private static Archiver archiver(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT current_setting('archive_mode') <> 'off', last_archived_wal, last_failed_wal,
                       coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false),
                       pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()),
                       pg_catalog.pg_size_bytes(current_setting('wal_segment_size'))
                FROM pg_catalog.pg_stat_archiver
                """); ResultSet rows = statement.executeQuery()) {
            rows.next();
            if (!rows.getBoolean(1)) {
                return null;
            }
            Long backlog = null;
            String archived = rows.getString(2);
            long perLog = 0x100000000L / rows.getLong(6);
            if (archived != null && archived.length() >= 24 && archived.substring(0, 24).matches("[0-9A-F]{24}")) {
                backlog = Math.max(0, segment(rows.getString(5), perLog) - segment(archived, perLog) - 1);
            }
            return new Archiver(backlog, rows.getBoolean(4), rows.getString(3));
        }
    }

    /** A WAL file's segment number: its log and segment parts (the timeline left out). */
    static long segment(String walFile, long segmentsPerLog) {
        return Long.parseLong(walFile.substring(8, 16), 16) * segmentsPerLog + Long.parseLong(walFile.substring(16, 24),
                16);
    }
}

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

    /**
     * Reads every signal in one statement (the backfill asks before each batch); {@code tableOid} (or null)
     * is the table an anti-wraparound vacuum is looked for on. What only a primary can say (replication, WAL
     * positions, the archiver) is not asked of a standby.
     */
    public static ServerHealth read(Connection connection, Long tableOid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT h.standby, r.lag, r.behind, s.slot_name, s.bytes, s.active,
                       w.enabled, w.last_archived_wal, w.last_failed_wal, w.failing, w.current_wal, w.segment_size,
                       o.pid, o.age, o.application, o.usename, o.query,
                       (SELECT v.pid FROM pg_catalog.pg_stat_progress_vacuum v
                        JOIN pg_catalog.pg_stat_activity a ON a.pid = v.pid
                        WHERE v.relid = ?::oid AND a.query LIKE '%(to prevent wraparound)%' LIMIT 1)
                FROM (SELECT pg_catalog.pg_is_in_recovery() AS standby) h
                LEFT JOIN LATERAL (
                    SELECT coalesce(max(extract(epoch FROM replay_lag)) * 1000, 0)::bigint AS lag,
                           coalesce(max(pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(),
                                    coalesce(replay_lsn, '0/0'))), 0)::bigint AS behind
                    FROM pg_catalog.pg_stat_replication WHERE NOT h.standby) r ON true
                LEFT JOIN LATERAL (
                    SELECT slot_name, pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(),
                           restart_lsn)::bigint AS bytes, active
                    FROM pg_catalog.pg_replication_slots WHERE restart_lsn IS NOT NULL AND NOT h.standby
                    ORDER BY 2 DESC LIMIT 1) s ON true
                LEFT JOIN LATERAL (
                    SELECT current_setting('archive_mode') <> 'off' AS enabled, last_archived_wal, last_failed_wal,
                           coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false) AS failing,
                           pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()) AS current_wal,
                           pg_catalog.pg_size_bytes(current_setting('wal_segment_size')) AS segment_size
                    FROM pg_catalog.pg_stat_archiver WHERE NOT h.standby) w ON true
                LEFT JOIN LATERAL (
                    SELECT pid, (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint AS age,
                           coalesce(nullif(application_name, ''), '-') AS application,
                           coalesce(usename::text, '-') AS usename,
                           left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 120) AS query
                    FROM pg_catalog.pg_stat_activity
                    WHERE xact_start IS NOT NULL AND pid <> pg_catalog.pg_backend_pid()
                      AND datname = current_database() AND backend_type = 'client backend'
                    ORDER BY xact_start LIMIT 1) o ON true
                """)) {
            statement.setObject(1, tableOid, java.sql.Types.BIGINT);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                boolean standby = rows.getBoolean(1);
                Optional<RetainingSlot> slot = rows.getString(4) == null ? Optional.empty()
                        : Optional.of(new RetainingSlot(rows.getString(4), rows.getLong(5), rows.getBoolean(6)));
                Archiver archiver = standby || !rows.getBoolean(7) ? null
                        : archiver(rows.getString(8), rows.getString(9), rows.getBoolean(10), rows.getString(11),
                                rows.getLong(12));
                Optional<OldTransaction> oldest = rows.getObject(13) == null ? Optional.empty() : Optional.of(new OldTransaction(rows.getInt(13), rows.getLong(14),
                                rows.getString(15), rows.getString(16), rows.getString(17)));
                Integer wraparound = rows.getObject(18) == null ? null : rows.getInt(18);
                return new ServerHealth(standby, rows.getLong(2), rows.getLong(3), oldest, slot, archiver,
                        wraparound);
            }
        }
    }

    private static Archiver archiver(String archived, String lastFailed, boolean failing, String current,
            long segmentSize) {
        Long backlog = null;
        long perLog = 0x100000000L / segmentSize;
        if (archived != null && archived.length() >= 24 && archived.substring(0, 24).matches("[0-9A-F]{24}")) {
            backlog = Math.max(0, segment(current, perLog) - segment(archived, perLog) - 1);
        }
        return new Archiver(backlog, failing, lastFailed);
    }

    /** A WAL file's segment number: its log and segment parts (the timeline left out). */
    static long segment(String walFile, long segmentsPerLog) {
        return Long.parseLong(walFile.substring(8, 16), 16) * segmentsPerLog + Long.parseLong(walFile.substring(16, 24),
                16);
    }
}

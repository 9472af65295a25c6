package io.zerolock.journal;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What zerolock did to a database, from its journal: every operation (rebuilds, clean-ups, applied files,
 * type changes) with its sizes, estimate, phases, whom it blocked and who blocked it, outcome and error,
 * and every decision of the gate. Reads only; a database with no state schema has no history.
 */
public final class History {

    /** One step of an operation: its phase, how long it took, how many tries, what it noted (lock holders). */
    public record Phase(int position, String kind, String name, Long durationMillis, Integer attempts,
            String outcome, String note, String error) {}

    /**
     * One operation.
     *
     * @param blockedSessions sessions that waited on zerolock's locks (its impact), null when unmeasured
     */
    public record Operation(long id, String command, String target, String strategy, Instant startedAt,
            Instant endedAt, String outcome, String error, Long sizeBefore, Long sizeAfter, Long estimatedSizeAfter,
            String estimateMethod, Integer blockedSessions, Long maxWaitMillis, Long totalWaitMillis,
            String blockedAtStep, List<Phase> phases) {}

    /** One decision of the gate. */
    public record GateDecision(Instant at, String command, String target, String verdict, List<String> signals,
            String reasons) {}

    public record Entries(List<Operation> operations, List<GateDecision> gateDecisions) {}

    /**
     * A finished rebuild of an index, what the bloat estimates and the rebuild-time predictions learn from.
     *
     * @param sizeBefore null when not recorded
     * @param sizeAfter null when not recorded
     * @param estimatedSizeAfter the bloat estimate made just before it, null when none was recorded
     */
    public record Rebuild(String target, Instant startedAt, Instant endedAt, Long sizeBefore, Long sizeAfter,
            Long estimatedSizeAfter, String estimateMethod) {}

    /** Rebuilds looked back over: far more than any cool-down or speed needs, and a bounded read. */
    private static final int REBUILDS = 5000;

    private History() {}

    /**
     * The finished rebuilds (reindex operations done), newest first; none when there is no state schema or
     * the role may not read it.
     */
    public static List<Rebuild> rebuilds(Connection connection, String schemaName) {
        List<Rebuild> found = new ArrayList<>();
        if (schemaName == null || !Journal.exists(connection, schemaName)) {
            return found;
        }
        String schema = Identifiers.quote(schemaName);
        try {
            boolean estimates = hasColumn(connection, schema + ".operation", "estimated_size_after");
            try (PreparedStatement statement = connection.prepareStatement("SELECT target, started_at, ended_at, "
                    + "old_size, new_size, " + (estimates ? "estimated_size_after, estimate_method"
                            : "NULL::bigint, NULL::text") + " FROM " + schema + ".operation WHERE kind = 'reindex' "
                    + "AND outcome = 'done' AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT " + REBUILDS);
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Rebuild(rows.getString(1), instant(rows, 2), instant(rows, 3), positive(rows, 4),
                            positive(rows, 5), positive(rows, 6), rows.getString(7)));
                }
            }
        } catch (SQLException e) {
            return List.of(); // a history the role may not read is no history
        }
        return found;
    }

    public static Entries since(Connection connection, String schemaName, Instant since) {
        if (!Journal.exists(connection, schemaName)) {
            return new Entries(List.of(), List.of());
        }
        String schema = Identifiers.quote(schemaName);
        try {
            Map<Long, List<Phase>> phases = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT s.operation_id, s.position, s.kind, "
                    + "s.name, (extract(epoch FROM s.ended_at - s.started_at) * 1000)::bigint, s.attempts, s.outcome, "
                    + "s.note, s.error FROM " + schema + ".step s JOIN " + schema + ".operation o ON o.id = "
                    + "s.operation_id WHERE o.started_at >= ? ORDER BY s.operation_id, s.position")) {
                statement.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        phases.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(new Phase(rows.getInt(2),
                                rows.getString(3), rows.getString(4), nullableLong(rows, 5), nullableInt(rows, 6),
                                rows.getString(7), rows.getString(8), rows.getString(9)));
                    }
                }
            }
            List<Operation> operations = new ArrayList<>();
            boolean estimates = hasColumn(connection, schema + ".operation", "estimated_size_after");
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, kind, target, strategy, "
                    + "started_at, ended_at, outcome, error, old_size, new_size, "
                    + (estimates ? "estimated_size_after, estimate_method" : "NULL::bigint, NULL::text")
                    + ", blocked_sessions, max_wait_ms, total_wait_ms, impact_step FROM " + schema + ".operation "
                    + "WHERE started_at >= ? ORDER BY started_at, id")) {
                statement.setTimestamp(1, Timestamp.from(since));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long id = rows.getLong(1);
                        operations.add(new Operation(id, rows.getString(2), rows.getString(3), rows.getString(4),
                                instant(rows, 5), instant(rows, 6), rows.getString(7), rows.getString(8),
                                positive(rows, 9), positive(rows, 10), nullableLong(rows, 11), rows.getString(12),
                                nullableInt(rows, 13), nullableLong(rows, 14), nullableLong(rows, 15),
                                rows.getString(16), phases.getOrDefault(id, List.of())));
                    }
                }
            }
            List<GateDecision> decisions = new ArrayList<>();
            if (hasColumn(connection, schema + ".gate_decision", "verdict")) {
                try (PreparedStatement statement = connection.prepareStatement("SELECT decided_at, command, target, "
                        + "verdict, signals, reasons FROM " + schema + ".gate_decision WHERE decided_at >= ? "
                        + "ORDER BY decided_at, id")) {
                    statement.setTimestamp(1, Timestamp.from(since));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            decisions.add(new GateDecision(instant(rows, 1), rows.getString(2), rows.getString(3),
                                    rows.getString(4), List.of((String[]) rows.getArray(5).getArray()),
                                    rows.getString(6)));
                        }
                    }
                }
            }
            return new Entries(operations, decisions);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot read the history in schema " + schemaName
                    + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code table} (a quoted name) has {@code column}: older state schemas lack the newer ones. */
    public static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ? AND NOT attisdropped")) {
            statement.setString(1, table);
            statement.setString(2, column);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Instant instant(ResultSet rows, int at) throws SQLException {
        Timestamp value = rows.getTimestamp(at);
        return value == null ? null : value.toInstant();
    }

    private static Long nullableLong(ResultSet rows, int at) throws SQLException {
        long value = rows.getLong(at);
        return rows.wasNull() ? null : value;
    }

    private static Long positive(ResultSet rows, int at) throws SQLException {
        Long value = nullableLong(rows, at);
        return value == null || value <= 0 ? null : value;
    }

    private static Integer nullableInt(ResultSet rows, int at) throws SQLException {
        int value = rows.getInt(at);
        return rows.wasNull() ? null : value;
    }
}

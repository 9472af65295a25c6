package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.journal.Journal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What zerolock's history says of earlier rebuilds: when each index was last rebuilt, and how the estimate
 * made before it compared with the size it really had after, which later estimates of that index are
 * corrected by. Read-only: a database with no state schema simply has no history.
 */
final class RebuildHistory {

    /** Corrections outside this range say the index changed shape, not that the model is off. */
    private static final double MIN_FACTOR = 0.5;
    private static final double MAX_FACTOR = 2.0;

    /** @param estimatedAfter the estimate made before the rebuild, null when none was recorded */
    record Rebuild(Instant at, long sizeAfter, Long estimatedAfter, String method) {

        /** The factor to multiply an estimate by the same method with, if this rebuild teaches one. */
        Double factorFor(EstimateMethod estimate) {
            if (estimatedAfter == null || estimatedAfter <= 0 || sizeAfter <= 0 || !estimate.id().equals(method)) {
                return null;
            }
            double factor = (double) sizeAfter / estimatedAfter;
            return factor < MIN_FACTOR || factor > MAX_FACTOR ? null : factor;
        }
    }

    private RebuildHistory() {}

    /** The last finished rebuild of each index, by its display name (the journal's target). */
    static Map<String, Rebuild> lastRebuilds(CatalogReader catalog, String stateSchema) {
        Map<String, Rebuild> found = new HashMap<>();
        if (stateSchema == null || !Journal.exists(catalog.connection(), stateSchema)) {
            return found;
        }
        String schema = Identifiers.quote(stateSchema);
        boolean estimates;
        try {
            estimates = io.zerolock.journal.History.hasColumn(catalog.connection(), schema + ".operation",
                    "estimated_size_after");
        } catch (SQLException e) {
            return found;
        }
        String sql = "SELECT DISTINCT ON (target) target, ended_at, new_size, "
                + (estimates ? "estimated_size_after, estimate_method" : "NULL::bigint, NULL::text")
                + " FROM " + schema + ".operation WHERE kind = 'reindex' AND outcome = 'done' AND new_size > 0 "
                + "ORDER BY target, ended_at DESC";
        try (PreparedStatement statement = catalog.connection().prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                long estimated = rows.getLong(4);
                found.put(rows.getString(1), new Rebuild(rows.getTimestamp(2).toInstant(), rows.getLong(3),
                        rows.wasNull() ? null : estimated, rows.getString(5)));
            }
        } catch (SQLException e) {
            return found; // a history the role may not read is no history
        }
        return found;
    }
}

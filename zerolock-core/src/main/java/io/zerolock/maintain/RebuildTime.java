package io.zerolock.maintain;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.journal.Journal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a rebuild will take, from the history: the same index's last rebuild scaled to its size now,
 * else this database's recent rebuild speed, else 10 MB/s; with half again and 10 s added, because starting
 * something that will not finish inside its window is worse than waiting for the next one.
 */
public final class RebuildTime {

    static final double DEFAULT_BYTES_PER_SECOND = 10.0 * (1 << 20);
    private static final double MARGIN = 1.5;
    private static final Duration FIXED = Duration.ofSeconds(10);

    private record Past(long size, double seconds) {}

    private final Map<String, Past> byTarget;
    private final double bytesPerSecond;

    private RebuildTime(Map<String, Past> byTarget, double bytesPerSecond) {
        this.byTarget = byTarget;
        this.bytesPerSecond = bytesPerSecond;
    }

    public static RebuildTime from(CatalogReader catalog, String stateSchema) {
        Map<String, Past> byTarget = new HashMap<>();
        double bytes = 0;
        double seconds = 0;
        if (stateSchema != null && Journal.exists(catalog.connection(), stateSchema)) {
            try (PreparedStatement statement = catalog.connection().prepareStatement("SELECT target, old_size, "
                    + "extract(epoch FROM ended_at - started_at)::float8 FROM " + Identifiers.quote(stateSchema)
                    + ".operation WHERE kind = 'reindex' AND outcome = 'done' AND old_size > 0 AND ended_at IS NOT "
                    + "NULL ORDER BY ended_at DESC LIMIT 50"); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Past past = new Past(rows.getLong(2), Math.max(0.001, rows.getDouble(3)));
                    byTarget.putIfAbsent(rows.getString(1), past);
                    bytes += past.size();
                    seconds += past.seconds();
                }
            } catch (SQLException e) {
                // a history the role may not read: the default speed
            }
        }
        return new RebuildTime(byTarget, seconds > 0 ? bytes / seconds : DEFAULT_BYTES_PER_SECOND);
    }

    /** The time to allow for rebuilding {@code target} (a display name) of {@code sizeBytes}. */
    public Duration predict(String target, long sizeBytes) {
        Past past = byTarget.get(target);
        double seconds = past != null ? past.seconds() * sizeBytes / past.size() : sizeBytes / bytesPerSecond;
        return Duration.ofMillis((long) (seconds * MARGIN * 1000)).plus(FIXED);
    }
}

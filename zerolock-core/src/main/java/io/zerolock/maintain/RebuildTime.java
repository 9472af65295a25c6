package io.zerolock.maintain;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.journal.History;
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
    /** Rebuilds the database's speed is taken from. */
    private static final int RECENT = 50;

    private record Past(long size, double seconds) {}

    private final Map<String, Past> byTarget;
    private final double bytesPerSecond;

    private RebuildTime(Map<String, Past> byTarget, double bytesPerSecond) {
        this.byTarget = byTarget;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** From this database's history: the latest rebuild of each index, and the speed of the last 50. */
    public static RebuildTime from(CatalogReader catalog, String stateSchema) {
        Map<String, Past> byTarget = new HashMap<>();
        double bytes = 0;
        double seconds = 0;
        int counted = 0;
        for (History.Rebuild rebuild : History.rebuilds(catalog.connection(), stateSchema)) {
            if (rebuild.sizeBefore() == null || rebuild.startedAt() == null) {
                continue;
            }
            Past past = new Past(rebuild.sizeBefore(), Math.max(0.001,
                    Duration.between(rebuild.startedAt(), rebuild.endedAt()).toNanos() / 1e9));
            byTarget.putIfAbsent(rebuild.target(), past);
            if (counted++ < RECENT) {
                bytes += past.size();
                seconds += past.seconds();
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

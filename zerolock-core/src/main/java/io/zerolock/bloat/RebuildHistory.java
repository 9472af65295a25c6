package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.journal.History;
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
        for (History.Rebuild rebuild : History.rebuilds(catalog.connection(), stateSchema)) {
            if (rebuild.sizeAfter() != null) {
                found.putIfAbsent(rebuild.target(), new Rebuild(rebuild.endedAt(), rebuild.sizeAfter(),
                        rebuild.estimatedSizeAfter(), rebuild.estimateMethod()));
            }
        }
        return found;
    }
}

package io.zerolock.bloat;

import io.zerolock.catalog.QualifiedName;
import java.time.Instant;
import java.util.Objects;

/**
 * What a rebuild of one index (or table) would give back.
 *
 * @param sizeBytes the relation's size now ({@code pg_relation_size}, main fork)
 * @param sizeAfterBytes the size right after a rebuild, as best estimated; null when there is no estimate
 * @param note what the reader should know about this estimate (a weak method, missing statistics), else null
 * @param scans {@code idx_scan} for an index, {@code seq_scan + idx_scan} for a table; null when unknown
 * @param lastRebuild the last rebuild zerolock finished, from the history; null when none
 * @param calibration the factor learned from earlier rebuilds that this estimate was multiplied by, else null
 */
public record BloatEstimate(Kind kind, long oid, QualifiedName name, QualifiedName table, String accessMethod,
        long sizeBytes, Long sizeAfterBytes, EstimateMethod method, String note, Long scans, Instant lastRebuild,
        Double calibration) {

    public enum Kind { INDEX, TABLE }

    public BloatEstimate {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        if (sizeAfterBytes != null && sizeAfterBytes < 0) {
            throw new IllegalArgumentException("a size after a rebuild cannot be negative");
        }
    }

    /** Bytes a rebuild would give back: the size now minus the size after; never negative; null when unknown. */
    public Long bloatBytes() {
        return sizeAfterBytes == null ? null : Math.max(0, sizeBytes - sizeAfterBytes);
    }

    /** {@link #bloatBytes()} as a share of the size now, 0 to 1; null when unknown. */
    public Double bloatRatio() {
        Long bloat = bloatBytes();
        if (bloat == null) {
            return null;
        }
        return sizeBytes == 0 ? 0.0 : (double) bloat / sizeBytes;
    }

    BloatEstimate withHistory(Instant rebuilt, Double factor, Long calibratedAfter) {
        return new BloatEstimate(kind, oid, name, table, accessMethod, sizeBytes, calibratedAfter, method, note, scans,
                rebuilt, factor);
    }
}

package io.zerolock.bloat;

/**
 * Which relations to estimate, and how.
 *
 * @param schema only this schema (exact name), or null
 * @param tableOid only this table, or null
 * @param minSizeBytes leave out relations smaller than this
 * @param exact measure with pgstattuple where it can (reads every page of each relation)
 */
public record BloatRequest(String schema, Long tableOid, long minSizeBytes, boolean exact) {

    public BloatRequest {
        if (minSizeBytes < 0) {
            throw new IllegalArgumentException("--min-size cannot be negative");
        }
    }

    public static BloatRequest all() {
        return new BloatRequest(null, null, 0, false);
    }
}

package io.zerolock.bloat;

/** How the size of a relation right after a rebuild was worked out, and how far to trust it. */
public enum EstimateMethod {

    /** A model of PostgreSQL's sorted btree build: sampled key widths, pg_stats for duplicates. */
    BTREE_MODEL("btree-model", false),
    /** The same index built over a sample of the table in a temporary table, then scaled up. */
    SAMPLE_BUILD("sample-build", true),
    /** A model of a hash index build: bucket count from the row count, overflow pages from frequent values. */
    HASH_MODEL("hash-model", false),
    /** A model of a BRIN index: one summary per range of heap pages. */
    BRIN_MODEL("brin-model", false),
    /** Rows times their width from pg_stats, packed into pages at the table's fillfactor. */
    HEAP_MODEL("heap-model", false),
    /** pgstattuple's pgstatindex: the leaf pages' real density (reads the whole index). */
    PGSTATINDEX("pgstatindex", false),
    /** pgstattuple: the relation's real live bytes (reads all of it). */
    PGSTATTUPLE("pgstattuple", false),
    /** No estimate: the note says why. */
    NONE("none", true);

    private final String id;
    private final boolean weak;

    EstimateMethod(String id, boolean weak) {
        this.id = id;
        this.weak = weak;
    }

    /** The name shown in reports and stored in the history. */
    public String id() {
        return id;
    }

    /** Whether estimates by this method are rough by nature (the report says so). */
    public boolean weak() {
        return weak;
    }

    public static EstimateMethod fromId(String id) {
        for (EstimateMethod method : values()) {
            if (method.id.equals(id)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown estimate method " + id);
    }
}

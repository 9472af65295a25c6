package io.zerolock.reindex;

import java.util.List;

/**
 * What to rebuild, as the user typed it: index names, and/or every index of a table or of a schema.
 * Named indexes that cannot be rebuilt online are refused (nothing is changed); indexes found through
 * {@code table} or {@code schema} that cannot are skipped with a warning.
 */
public record ReindexRequest(List<String> indexes, String table, String schema) {

    public ReindexRequest {
        indexes = List.copyOf(indexes);
        if (indexes.isEmpty() && table == null && schema == null) {
            throw new IllegalArgumentException("name at least one index, --table or --schema");
        }
    }

    public static ReindexRequest indexes(String... names) {
        return new ReindexRequest(List.of(names), null, null);
    }
}

package io.zerolock.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The facts the size of an index after a rebuild follows from.
 *
 * @param indexRows {@code pg_class.reltuples} of the index; negative when never counted
 * @param tableRows {@code pg_class.reltuples} of the table; negative when never counted
 * @param tablePages {@code pg_class.relpages} of the table, when it was counted
 * @param tableSizeBytes the table's main fork now
 * @param predicate the WHERE clause of a partial index as PostgreSQL prints it, else null
 * @param storageParameters {@code reloptions}, e.g. {@code fillfactor=70}
 * @param scans {@code idx_scan}, null when the statistics collector has nothing
 */
public record IndexStorage(long oid, QualifiedName name, long tableOid, QualifiedName table, String accessMethod,
        long sizeBytes, double indexRows, double tableRows, long tablePages, long tableSizeBytes, boolean unique,
        String predicate, List<String> storageParameters, Long scans, List<StoredColumn> columns) {

    public IndexStorage {
        Objects.requireNonNull(name, "name");
        storageParameters = List.copyOf(storageParameters);
        columns = List.copyOf(columns);
    }

    public List<StoredColumn> keyColumns() {
        return columns.stream().filter(StoredColumn::key).toList();
    }

    public boolean hasIncludeColumns() {
        return columns.stream().anyMatch(c -> !c.key());
    }

    /** A storage parameter's value, or null when not set. */
    public String storageParameter(String name) {
        return StorageParameters.value(storageParameters, name);
    }
}

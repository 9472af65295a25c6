package io.zerolock.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The facts the size of a table after a rewrite follows from.
 *
 * @param rows {@code pg_class.reltuples}; negative when never counted
 * @param columns every attribute, dropped ones included (they still take a null bit)
 * @param scans sequential plus index scans, null when the statistics collector has nothing
 */
public record TableStorage(long oid, QualifiedName name, long sizeBytes, double rows, long pages,
        List<String> storageParameters, Long scans, List<StoredColumn> columns) {

    public TableStorage {
        Objects.requireNonNull(name, "name");
        storageParameters = List.copyOf(storageParameters);
        columns = List.copyOf(columns);
    }

    public String storageParameter(String name) {
        return StorageParameters.value(storageParameters, name);
    }
}

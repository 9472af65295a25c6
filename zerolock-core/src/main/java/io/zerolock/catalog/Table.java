package io.zerolock.catalog;

import java.util.Objects;

/**
 * Facts about a table (or materialized view, or TOAST table) read from the catalog.
 *
 * @param tablespace null when in the database's default tablespace
 * @param partitionParentOid the partitioned parent's OID, or 0 when not a partition
 * @param partitionKey {@code pg_get_partkeydef} for a partitioned table, else null
 * @param partitionBound the partition bound of a partition, else null
 * @param systemCatalog in {@code pg_catalog}, {@code information_schema} or a TOAST schema
 */
public record Table(long oid, QualifiedName name, RelationKind kind, Persistence persistence, String owner,
        String tablespace, ReplicaIdentity replicaIdentity, long partitionParentOid, String partitionKey,
        String partitionBound, long tableBytes, long indexesBytes, long totalBytes, double estimatedRows,
        boolean systemCatalog) {

    public Table {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!kind.hasIndexes()) {
            throw new IllegalArgumentException(name + " is a " + kind.description() + ", not a table");
        }
    }

    public boolean isPartition() {
        return partitionParentOid != 0;
    }

    public boolean isPartitioned() {
        return kind == RelationKind.PARTITIONED_TABLE;
    }
}

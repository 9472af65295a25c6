package io.zerolock.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything about one index that a rebuild must preserve or decide on, read by OID.
 *
 * @param definition {@code pg_get_indexdef(oid)}
 * @param predicate the WHERE clause of a partial index, else null
 * @param tablespace null when in the database's default tablespace
 * @param storageParameters {@code pg_class.reloptions}, e.g. {@code fillfactor=70}
 * @param comment null when none
 * @param replicaIdentity this index is its table's replica identity
 * @param parentIndexOid the partitioned index this one is attached to, or 0
 * @param leafIndexOids for a partitioned index, its leaf (non-partitioned) indexes at every level
 * @param sizeBytes {@code pg_relation_size}; for a partitioned index, the sum over its leaves
 */
public record IndexDefinition(long oid, QualifiedName name, long tableOid, QualifiedName table, RelationKind tableKind,
        Persistence persistence, String definition, String accessMethod, boolean unique, boolean primary,
        boolean exclusion, boolean nullsNotDistinct, boolean valid, boolean ready, boolean live, String predicate,
        List<IndexColumn> columns, String tablespace, List<String> storageParameters, String comment,
        boolean clustered, boolean replicaIdentity, String owner, boolean partitioned, long parentIndexOid,
        List<Long> leafIndexOids, long sizeBytes, boolean systemCatalog) {

    public IndexDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(definition, "definition");
        columns = List.copyOf(columns);
        storageParameters = List.copyOf(storageParameters);
        leafIndexOids = List.copyOf(leafIndexOids);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("index " + name + " has no columns");
        }
    }

    public List<IndexColumn> keyColumns() {
        return columns.stream().filter(IndexColumn::key).toList();
    }

    public List<IndexColumn> includeColumns() {
        return columns.stream().filter(c -> !c.key()).toList();
    }

    public List<String> expressions() {
        return columns.stream().filter(IndexColumn::expression).map(IndexColumn::definition).toList();
    }

    public boolean isPartial() {
        return predicate != null;
    }

    /** Per-column statistics targets that differ from the default, by 1-based position. */
    public Map<Integer, Integer> statisticsTargets() {
        Map<Integer, Integer> targets = new TreeMap<>();
        columns.forEach(c -> {
            if (c.statisticsTarget() != null) {
                targets.put(c.position(), c.statisticsTarget());
            }
        });
        return targets;
    }

    public boolean isPartitionLeaf() {
        return parentIndexOid != 0;
    }
}

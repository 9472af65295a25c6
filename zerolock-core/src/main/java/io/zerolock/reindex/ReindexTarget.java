package io.zerolock.reindex;

import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import java.util.List;
import java.util.Optional;

/**
 * Everything the planner needs about one index, read once by OID.
 *
 * @param leaves for a partitioned index, its leaf indexes (empty otherwise)
 * @param leftoverWorkingIndex a working index of an earlier zerolock run on this index, if one exists
 */
public record ReindexTarget(IndexDefinition index, Optional<Constraint> constraint, List<ForeignKey> referencingKeys,
        List<IndexDefinition> leaves, Optional<String> leftoverWorkingIndex) {

    public ReindexTarget {
        referencingKeys = List.copyOf(referencingKeys);
        leaves = List.copyOf(leaves);
    }

    /** The name of zerolock's working index for this index: unique per index OID, far below 63 bytes. */
    public String workingIndexName() {
        return workingIndexName(index.oid());
    }

    public static String workingIndexName(long indexOid) {
        return "zerolock_" + indexOid + "_new";
    }

    /** The name the original index is moved to while its twin takes its place (plain indexes). */
    public String retiredIndexName() {
        return "zerolock_" + index.oid() + "_old";
    }

    /** A constraint or foreign keys depend on the index: the swap must happen in one locked transaction. */
    public boolean needsLockedSwap() {
        return constraint.isPresent() || !referencingKeys.isEmpty();
    }
}

package io.zerolock.reindex;

import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.zerolock.catalog.QualifiedName;

/**
 * Everything the planner needs about one index, read once by OID.
 *
 * @param leaves for a partitioned index, its leaf indexes (empty otherwise)
 * @param leftovers indexes of earlier zerolock runs on this table to drop first: this index's working
 *     index, and retired originals ({@code zerolock_<their own oid>_old}) whose final drop was interrupted
 */
public record ReindexTarget(IndexDefinition index, Optional<Constraint> constraint, List<ForeignKey> referencingKeys,
        List<IndexDefinition> leaves, List<QualifiedName> leftovers) {

    private static final Pattern RETIRED = Pattern.compile("zerolock_(\\d+)_old");

    public ReindexTarget {
        referencingKeys = List.copyOf(referencingKeys);
        leaves = List.copyOf(leaves);
        leftovers = List.copyOf(leftovers);
    }

    /** Whether {@code other}, an index of the same table, is a leftover of an earlier zerolock run on it. */
    public static boolean isLeftover(IndexDefinition other, IndexDefinition target) {
        if (other.name().name().equals(workingIndexName(target.oid()))) {
            return true;
        }
        Matcher retired = RETIRED.matcher(other.name().name());
        return retired.matches() && retired.group(1).equals(String.valueOf(other.oid()));
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

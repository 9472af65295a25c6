package io.zerolock.reindex;

import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.WorkingIndexNames;
import io.zerolock.plan.Sql;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the planner needs about one index, read once by OID.
 *
 * @param leaves for a partitioned index, its leaf indexes (empty otherwise)
 * @param leftovers indexes of earlier interrupted runs on this index to drop first: this index's
 *     working index, retired originals ({@code zerolock_<their own oid>_old}) whose final drop was
 *     interrupted, and the invalid {@code _ccnew}/{@code _ccold} of a killed {@code REINDEX CONCURRENTLY}
 * @param twinBuilt an earlier run built this index's working index completely (valid, same definition)
 *     and was stopped before the swap: the plan swaps it in instead of building again
 */
public record ReindexTarget(IndexDefinition index, Optional<Constraint> constraint, List<ForeignKey> referencingKeys,
        List<IndexDefinition> leaves, List<QualifiedName> leftovers, boolean twinBuilt) {

    public ReindexTarget {
        referencingKeys = List.copyOf(referencingKeys);
        leaves = List.copyOf(leaves);
        leftovers = List.copyOf(leftovers);
    }

    /** Whether {@code other}, an index of the same table, is a leftover of an interrupted run on {@code target}. */
    public static boolean isLeftover(IndexDefinition other, IndexDefinition target) {
        if (other.oid() == target.oid()) {
            return false;
        }
        if (other.name().name().equals(workingIndexName(target.oid()))) {
            return true;
        }
        Optional<Long> retired = WorkingIndexNames.retiredOid(other.name().name());
        if (retired.isPresent()) {
            return retired.get() == other.oid();
        }
        return !other.valid() && WorkingIndexNames.concurrentBase(other.name().name())
                .filter(base -> target.name().name().startsWith(base)).isPresent() && sameDefinition(other, target);
    }

    /** A valid working index that an earlier run finished building: it is as good as a new build. */
    public static boolean isBuiltTwin(IndexDefinition other, IndexDefinition target) {
        return other.name().name().equals(workingIndexName(target.oid())) && other.valid() && other.ready()
                && other.live() && sameDefinition(other, target);
    }

    /** Same table, columns, method, predicate, options and tablespace: only the name differs. */
    static boolean sameDefinition(IndexDefinition a, IndexDefinition b) {
        return a.tableOid() == b.tableOid() && Objects.equals(a.tablespace(), b.tablespace())
                && Sql.concurrentTwin(a.definition(), "x").equals(Sql.concurrentTwin(b.definition(), "x"));
    }

    /** The name of zerolock's working index for this index: unique per index OID, far below 63 bytes. */
    public String workingIndexName() {
        return workingIndexName(index.oid());
    }

    public static String workingIndexName(long indexOid) {
        return WorkingIndexNames.working(indexOid);
    }

    /** The name the original index is moved to while its twin takes its place (plain indexes). */
    public String retiredIndexName() {
        return WorkingIndexNames.retired(index.oid());
    }

    /** A constraint or foreign keys depend on the index: the swap must happen in one locked transaction. */
    public boolean needsLockedSwap() {
        return constraint.isPresent() || !referencingKeys.isEmpty();
    }
}

package io.zerolock;

import io.zerolock.bloat.BloatEstimate;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.reindex.RebuildVerdict;
import java.util.List;
import java.util.Optional;

/**
 * The maintenance view of one index: its facts, the constraint it enforces, the foreign keys that
 * depend on it, whether it can be rebuilt online on this server, and what a rebuild would give back
 * (empty for a partitioned index, whose leaves have their own, or when not asked for).
 */
public record IndexStatus(IndexDefinition index, Optional<Constraint> constraint, List<ForeignKey> referencingKeys,
        RebuildVerdict verdict, Optional<BloatEstimate> bloat) {

    public IndexStatus {
        referencingKeys = List.copyOf(referencingKeys);
    }

    IndexStatus withBloat(BloatEstimate estimate) {
        return new IndexStatus(index, constraint, referencingKeys, verdict, Optional.ofNullable(estimate));
    }

    /** Declared foreign keys (per-partition clones folded into their declared key). */
    public List<ForeignKey> declaredForeignKeys() {
        return referencingKeys.stream().filter(fk -> !fk.isInherited()).toList();
    }
}

package io.zerolock.reindex;

import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.plan.Plan;
import java.util.Map;

/**
 * One target of a reindex run: the index, its plan (null when skipped, with the reason), and every table
 * the plan touches (locked, in OID order, while it runs).
 */
record Prepared(IndexDefinition index, Plan plan, String reason, Map<Long, QualifiedName> tables) {

    Prepared(IndexDefinition index, Plan plan, String reason) {
        this(index, plan, reason, Map.of(index.tableOid(), index.table()));
    }
}

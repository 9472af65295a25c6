package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL017 detach-partition-not-concurrently: DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table. */
public final class DetachPartitionNotConcurrently extends Rule {

    public DetachPartitionNotConcurrently() {
        super("ZL017", "detach-partition-not-concurrently", Severity.WARNING, 14,
                "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table: every query on any partition waits.",
                "ALTER TABLE <table> DETACH PARTITION <partition> CONCURRENTLY;  -- PostgreSQL 14+, outside a transaction");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.detachConcurrently(context);
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.DetachPartition detach : actions(context, Action.DetachPartition.class)) {
            if (!detach.concurrently()) {
                return Optional.of("partition " + detach.partition() + " detached from " + table(context)
                        + " without CONCURRENTLY");
            }
        }
        return Optional.empty();
    }
}

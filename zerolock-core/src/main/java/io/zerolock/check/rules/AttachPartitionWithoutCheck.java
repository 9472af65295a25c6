package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL018 attach-partition-without-check: ATTACH PARTITION scans the new partition under ACCESS EXCLUSIVE to prove its rows fit the bounds, unless a validated CHECK constraint on it already implies them. */
public final class AttachPartitionWithoutCheck extends Rule {

    public AttachPartitionWithoutCheck() {
        super("ZL018", "attach-partition-without-check", Severity.WARNING, 11,
                "ATTACH PARTITION scans the new partition under ACCESS EXCLUSIVE to prove its rows fit the bounds, unless a validated CHECK constraint on it already implies them.",
                "ALTER TABLE <partition> ADD CONSTRAINT <name> CHECK (<bounds>) NOT VALID;\nALTER TABLE <partition> VALIDATE CONSTRAINT <name>;\nALTER TABLE <table> ATTACH PARTITION <partition> FOR VALUES ...;  -- no scan\nALTER TABLE <partition> DROP CONSTRAINT <name>;");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AttachPartition attach : actions(context, Action.AttachPartition.class)) {
            if (!context.state().isNew(attach.partition()) && !context.state().hasValidatedCheck(attach.partition())) {
                return Optional.of("partition " + attach.partition() + " attached to " + table(context)
                        + " with no validated CHECK matching its bounds: it is scanned under ACCESS EXCLUSIVE");
            }
        }
        return Optional.empty();
    }
}

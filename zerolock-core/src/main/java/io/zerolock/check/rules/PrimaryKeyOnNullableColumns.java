package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL012 primary-key-on-nullable-columns: ADD PRIMARY KEY USING INDEX makes its columns NOT NULL; for a column that is not yet NOT NULL, that means a full scan under ACCESS EXCLUSIVE. */
public final class PrimaryKeyOnNullableColumns extends Rule {

    public PrimaryKeyOnNullableColumns() {
        super("ZL012", "primary-key-on-nullable-columns", Severity.WARNING, 11,
                "ADD PRIMARY KEY USING INDEX makes its columns NOT NULL; for a column that is not yet NOT NULL, that means a full scan under ACCESS EXCLUSIVE.",
                "Make each column NOT NULL first without a blocking scan (see ZL007), then ADD CONSTRAINT <name> PRIMARY KEY USING INDEX <index>.");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if (add.kind() == Action.ConstraintKind.PRIMARY_KEY && add.usingIndex() != null) {
                java.util.List<String> columns = context.state().indexColumns(add.usingIndex());
                if (!columns.isEmpty() && columns.stream().allMatch(c -> context.state().knownNotNull(table(context), c))) {
                    continue; // already NOT NULL: nothing to scan
                }
                return Optional.of("PRIMARY KEY USING INDEX " + add.usingIndex() + " on " + table(context)
                        + ": unless its columns are already NOT NULL, PostgreSQL scans the table to set them");
            }
        }
        return Optional.empty();
    }
}

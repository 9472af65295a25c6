package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL011 add-unique-without-index: ADD PRIMARY KEY or UNIQUE builds its index while holding ACCESS EXCLUSIVE on the table. */
public final class UniqueWithoutIndex extends Rule {

    public UniqueWithoutIndex() {
        super("ZL011", "add-unique-without-index", Severity.ERROR, 11,
                "ADD PRIMARY KEY or UNIQUE builds its index while holding ACCESS EXCLUSIVE on the table: no reads or writes until the build is done.",
                "CREATE UNIQUE INDEX CONCURRENTLY <name> ON <table> (...);  -- outside a transaction\nALTER TABLE <table> ADD CONSTRAINT <name> UNIQUE USING INDEX <name>;  -- or PRIMARY KEY USING INDEX: instant");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.uniqueUsingIndex(context)
                .or(() -> SafeForms.inlineConstraintSplit(context, io.zerolock.check.recognize.Action.ConstraintKind.UNIQUE));
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if ((add.kind() == Action.ConstraintKind.UNIQUE || add.kind() == Action.ConstraintKind.PRIMARY_KEY)
                    && add.usingIndex() == null) {
                return Optional.of((add.kind() == Action.ConstraintKind.UNIQUE ? "UNIQUE" : "PRIMARY KEY")
                        + " added to " + table(context) + " builds its index under ACCESS EXCLUSIVE");
            }
        }
        return Optional.empty();
    }
}

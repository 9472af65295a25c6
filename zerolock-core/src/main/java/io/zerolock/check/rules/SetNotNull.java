package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL007 set-not-null: SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove no row is NULL. */
public final class SetNotNull extends Rule {

    public SetNotNull() {
        super("ZL007", "set-not-null", Severity.ERROR, 11,
                "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE to prove no row is NULL. From PostgreSQL 12 a validated CHECK (column IS NOT NULL) lets it skip the scan; PostgreSQL 18 can add the NOT NULL constraint NOT VALID and validate it without blocking.",
                "ALTER TABLE <table> ADD CONSTRAINT <column>_not_null CHECK (<column> IS NOT NULL) NOT VALID;\nALTER TABLE <table> VALIDATE CONSTRAINT <column>_not_null;  -- SHARE UPDATE EXCLUSIVE: reads and writes go on\nALTER TABLE <table> ALTER COLUMN <column> SET NOT NULL;     -- PostgreSQL 12+: no scan\nALTER TABLE <table> DROP CONSTRAINT <column>_not_null;\n-- PostgreSQL 18: ALTER TABLE <table> ADD CONSTRAINT <name> NOT NULL <column> NOT VALID; then VALIDATE CONSTRAINT <name>");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.notNullThroughCheck(context);
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.SetNotNull set : actions(context, Action.SetNotNull.class)) {
            if (context.pgVersion() >= 12 && context.state().notNullProven(table(context), set.column())) {
                continue; // the CHECK ... IS NOT NULL path: PostgreSQL uses the validated constraint, no scan
            }
            return Optional.of("SET NOT NULL on " + table(context) + "." + set.column() + " scans the table under "
                    + "ACCESS EXCLUSIVE" + (context.pgVersion() < 12 ? " (before PostgreSQL 12 there is no way "
                    + "around the scan)" : ""));
        }
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if (add.kind() == Action.ConstraintKind.NOT_NULL && !add.notValid()) {
                return Optional.of("ADD CONSTRAINT ... NOT NULL on " + table(context) + " scans the table under "
                        + "ACCESS EXCLUSIVE; add it NOT VALID, then VALIDATE CONSTRAINT");
            }
        }
        return Optional.empty();
    }
}

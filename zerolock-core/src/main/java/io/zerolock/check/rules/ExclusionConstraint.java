package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL013 add-exclusion-constraint: ADD CONSTRAINT . */
public final class ExclusionConstraint extends Rule {

    public ExclusionConstraint() {
        super("ZL013", "add-exclusion-constraint", Severity.ERROR, 11,
                "ADD CONSTRAINT ... EXCLUDE builds its index and checks every row under ACCESS EXCLUSIVE, and cannot be built concurrently nor attached from an index built beforehand.",
                "Create the constraint with the table, or in a maintenance window; enforce the rule in the application meanwhile.");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if (add.kind() == Action.ConstraintKind.EXCLUDE) {
                return Optional.of("exclusion constraint added to existing table " + table(context));
            }
        }
        return Optional.empty();
    }
}

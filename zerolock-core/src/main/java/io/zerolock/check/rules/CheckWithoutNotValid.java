package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL008 add-check-without-not-valid: ADD CONSTRAINT . */
public final class CheckWithoutNotValid extends Rule {

    public CheckWithoutNotValid() {
        super("ZL008", "add-check-without-not-valid", Severity.ERROR, 11,
                "ADD CONSTRAINT ... CHECK scans every row under ACCESS EXCLUSIVE: no reads or writes until it is done.",
                "ALTER TABLE <table> ADD CONSTRAINT <name> CHECK (...) NOT VALID;  -- instant\nALTER TABLE <table> VALIDATE CONSTRAINT <name>;             -- in another transaction: SHARE UPDATE EXCLUSIVE");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.notValidThenValidate(context, io.zerolock.check.recognize.Action.ConstraintKind.CHECK);
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if (add.kind() == Action.ConstraintKind.CHECK && !add.notValid()) {
                return Optional.of("CHECK constraint " + (add.name() == null ? "" : add.name() + " ") + "added to "
                        + table(context) + " without NOT VALID");
            }
        }
        return Optional.empty();
    }
}

package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL009 add-foreign-key-without-not-valid: ADD FOREIGN KEY checks every existing row while holding SHARE ROW EXCLUSIVE on both tables. */
public final class ForeignKeyWithoutNotValid extends Rule {

    public ForeignKeyWithoutNotValid() {
        super("ZL009", "add-foreign-key-without-not-valid", Severity.ERROR, 11,
                "ADD FOREIGN KEY checks every existing row while holding SHARE ROW EXCLUSIVE on both tables: writes to both stop until it is done.",
                "ALTER TABLE <table> ADD CONSTRAINT <name> FOREIGN KEY (...) REFERENCES <other> NOT VALID;  -- instant\nALTER TABLE <table> VALIDATE CONSTRAINT <name>;  -- in another transaction: SHARE UPDATE EXCLUSIVE, writes go on");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.notValidThenValidate(context, io.zerolock.check.recognize.Action.ConstraintKind.FOREIGN_KEY)
                .or(() -> SafeForms.inlineConstraintSplit(context, io.zerolock.check.recognize.Action.ConstraintKind.FOREIGN_KEY));
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddConstraint add : actions(context, Action.AddConstraint.class)) {
            if (add.kind() == Action.ConstraintKind.FOREIGN_KEY && !add.notValid()) {
                return Optional.of("foreign key " + (add.name() == null ? "" : add.name() + " ") + "added to "
                        + table(context) + " without NOT VALID");
            }
        }
        return Optional.empty();
    }
}

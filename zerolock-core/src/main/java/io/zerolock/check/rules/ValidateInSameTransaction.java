package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL010 validate-in-same-transaction: VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID keeps that ADD's ACCESS EXCLUSIVE lock through the whole validation scan. */
public final class ValidateInSameTransaction extends Rule {

    public ValidateInSameTransaction() {
        super("ZL010", "validate-in-same-transaction", Severity.WARNING, 11,
                "VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID keeps that ADD's ACCESS EXCLUSIVE lock through the whole validation scan: NOT VALID then saves nothing.",
                "COMMIT after ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a transaction of its own.");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.ValidateConstraint validate : actions(context, Action.ValidateConstraint.class)) {
            if (context.state().addedNotValidInThisTransaction(validate.name())) {
                return Optional.of("constraint " + validate.name() + " is validated in the transaction that added it");
            }
        }
        return Optional.empty();
    }
}

package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL023 lock-held-across-statements: A strong lock taken in a transaction is held until COMMIT. */
public final class LockHeldAcrossStatements extends Rule {

    public LockHeldAcrossStatements() {
        super("ZL023", "lock-held-across-statements", Severity.WARNING, 11,
                "A strong lock taken in a transaction is held until COMMIT: every later statement of the transaction runs while the application waits.",
                "Commit right after the statement that takes the strong lock; move the other statements to transactions of their own.");
    }

    @Override
    public Optional<String> check(Context context) {
        String held = context.state().strongLockHeld();
        if (held == null || !context.state().inTransaction() || context.recognized() instanceof Recognized.Commit
                || context.recognized() instanceof Recognized.Rollback) {
            return Optional.empty();
        }
        return Optional.of("runs while the transaction holds " + held + " (taken at line "
                + context.state().strongLockLine() + ")");
    }
}

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
        // under a lock_timeout, a few quick statements after the lock hold it only briefly: only long work counts
        if (context.state().lockTimeoutSet() && !longWork(context.recognized())) {
            return Optional.empty();
        }
        return Optional.of("runs while the transaction holds " + held + " (taken at line "
                + context.state().strongLockLine() + ")");
    }

    /** Work that takes as long as the table is big: data changes, builds, scans, rewrites; unknown statements too. */
    static boolean longWork(Recognized recognized) {
        if (recognized instanceof Recognized.Unknown unknown) {
            // catalog-only statements are quick; anything else not recognised may take as long as the data
            return !unknown.firstWords().toLowerCase(java.util.Locale.ROOT)
                    .matches("(comment|grant|revoke|alter default privileges|security label)\\b.*");
        }
        if (recognized instanceof Recognized.DataChange
                || recognized instanceof Recognized.Reindex || recognized instanceof Recognized.VacuumFull
                || recognized instanceof Recognized.Cluster || recognized instanceof Recognized.RefreshMaterializedView
                || recognized instanceof Recognized.DoBlock) {
            return true;
        }
        if (recognized instanceof Recognized.CreateIndex index) {
            return !index.only();
        }
        if (recognized instanceof Recognized.AlterTable alter) {
            return alter.actions().stream().anyMatch(action -> action instanceof Action.SetNotNull
                    || action instanceof Action.AlterColumnType || action instanceof Action.Rewrite
                    || action instanceof Action.ValidateConstraint || action instanceof Action.AttachPartition
                    || action instanceof Action.AddColumn add && add.defaultExpression() != null
                            && VolatileDefault.VOLATILE.matcher(add.defaultExpression()).find()
                    || action instanceof Action.AddConstraint add && !add.notValid() && add.usingIndex() == null
                            && add.kind() != Action.ConstraintKind.NOT_NULL);
        }
        return false;
    }
}

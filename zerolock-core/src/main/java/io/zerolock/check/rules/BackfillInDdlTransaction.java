package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL024 backfill-in-ddl-transaction: An UPDATE that backfills rows in the transaction of a schema change keeps the DDL's lock for the whole backfill, and holds row locks on every row it touches. */
public final class BackfillInDdlTransaction extends Rule {

    public BackfillInDdlTransaction() {
        super("ZL024", "backfill-in-ddl-transaction", Severity.WARNING, 11,
                "An UPDATE that backfills rows in the transaction of a schema change keeps the DDL's lock for the whole backfill, and holds row locks on every row it touches.",
                "COMMIT the schema change first; backfill in small batches, each in its own transaction.");
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.DataChange change && change.verb().equals("UPDATE")
                && context.state().inTransaction() && context.state().ddlInTransaction()
                && !context.state().isNew(change.table())) {
            return Optional.of("UPDATE of " + change.table() + " in the same transaction as a schema change");
        }
        return Optional.empty();
    }
}

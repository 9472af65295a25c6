package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL001 create-index-not-concurrently: CREATE INDEX without CONCURRENTLY takes a SHARE lock on the table. */
public final class CreateIndexNotConcurrently extends Rule {

    public CreateIndexNotConcurrently() {
        super("ZL001", "create-index-not-concurrently", Severity.ERROR, 11,
                "CREATE INDEX without CONCURRENTLY takes a SHARE lock on the table: every INSERT, UPDATE and DELETE waits until the whole index is built.",
                "CREATE <unique>INDEX CONCURRENTLY <name> ON <table> (...);  -- outside a transaction; if it fails, DROP INDEX CONCURRENTLY the invalid index and retry");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.createIndexConcurrently(context);
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.CreateIndex index && !index.concurrently() && !index.only()
                && !context.state().isNew(index.table())) {
            return Optional.of("CREATE INDEX on existing table " + index.table() + " without CONCURRENTLY");
        }
        return Optional.empty();
    }
}

package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL026 add-serial-or-generated-column: Adding a serial, identity or GENERATED . */
public final class AddSerialOrStoredGeneratedColumn extends Rule {

    public AddSerialOrStoredGeneratedColumn() {
        super("ZL026", "add-serial-or-generated-column", Severity.ERROR, 11,
                "Adding a serial, identity or GENERATED ... STORED column to an existing table fills every row: a full rewrite under ACCESS EXCLUSIVE.",
                "ALTER TABLE <table> ADD COLUMN <column> bigint;  -- then a sequence default for new rows, a batched backfill, and NOT NULL via ZL007's path");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddColumn add : actions(context, Action.AddColumn.class)) {
            if (add.serial() || add.storedGenerated() || add.identity()) {
                return Optional.of("column " + add.column() + " (" + (add.storedGenerated() ? "GENERATED STORED"
                        : add.identity() ? "identity" : add.type()) + ") added to existing table " + table(context)
                        + ": every row is rewritten");
            }
        }
        return Optional.empty();
    }
}

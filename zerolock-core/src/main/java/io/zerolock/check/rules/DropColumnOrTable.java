package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL016 drop-column-or-table: Dropping a column or table is quick but takes ACCESS EXCLUSIVE, and application code still using it fails at once. */
public final class DropColumnOrTable extends Rule {

    public DropColumnOrTable() {
        super("ZL016", "drop-column-or-table", Severity.WARNING, 11,
                "Dropping a column or table is quick but takes ACCESS EXCLUSIVE, and application code still using it fails at once.",
                "Stop using it in a release first; then drop it with lock_timeout set, in a later migration.");
    }

    @Override
    public io.zerolock.check.Category category() {
        return io.zerolock.check.Category.COMPATIBILITY;
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.DropTable drop
                && drop.tables().stream().anyMatch(t -> !context.state().isNew(t))) {
            return Optional.of("table " + drop.tables().get(0) + " dropped");
        }
        for (Action.DropColumn drop : actions(context, Action.DropColumn.class)) {
            return Optional.of("column " + table(context) + "." + drop.column() + " dropped");
        }
        return Optional.empty();
    }
}

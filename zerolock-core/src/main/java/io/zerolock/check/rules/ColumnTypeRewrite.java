package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import java.util.Optional;

/** ZL014 alter-column-type: ALTER COLUMN . */
public final class ColumnTypeRewrite extends Rule {

    public ColumnTypeRewrite() {
        super("ZL014", "alter-column-type", Severity.ERROR, 11,
                "ALTER COLUMN ... TYPE rewrites the table and all its indexes under ACCESS EXCLUSIVE, unless the change is binary-coercible (varchar(n) to a longer varchar or to text, numeric to wider precision, ...).",
                "ALTER TABLE <table> ADD COLUMN <new> <type>;\n-- zerolock alter-type <table>.<old> <type> does it online (in zerolock apply: -- zerolock:online above the statement): a trigger keeps both in step, a batched backfill, indexes and constraints moved, then one short swap under lock_timeout:\nALTER TABLE <table> RENAME COLUMN <old> TO <old>_retired;\nALTER TABLE <table> RENAME COLUMN <new> TO <old>;");
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AlterColumnType change : actions(context, Action.AlterColumnType.class)) {
            String before = context.state().columnType(table(context), change.column());
            if (!change.using() && before != null && TypeChanges.withoutRewrite(before, change.type(),
                    context.pgVersion(), context.state().timeZoneIsUtc())) {
                continue;
            }
            return Optional.of("column " + table(context) + "." + change.column() + " changes type"
                    + (before == null ? "" : " from " + before) + " to " + change.type()
                    + (before == null ? " (the old type is not in these migrations: --trace tells whether it rewrites)"
                    : ""));
        }
        return Optional.empty();
    }
}

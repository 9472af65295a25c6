package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL027 json-column: A json column has no equality operator. */
public final class JsonColumn extends Rule {

    public JsonColumn() {
        super("ZL027", "json-column", Severity.INFO, 11,
                "A json column has no equality operator: SELECT DISTINCT, UNION and GROUP BY on it fail, and every read re-parses it.",
                "Use jsonb.");
    }

    @Override
    public io.zerolock.check.Category category() {
        return io.zerolock.check.Category.COMPATIBILITY;
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddColumn add : actions(context, Action.AddColumn.class)) {
            if (add.json()) {
                return Optional.of("column " + add.column() + " of type json added to " + table(context));
            }
        }
        return Optional.empty();
    }
}

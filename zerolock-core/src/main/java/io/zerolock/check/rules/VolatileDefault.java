package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;
import java.util.regex.Pattern;

/** ZL006 add-column-volatile-default: ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid(), nextval(), . */
public final class VolatileDefault extends Rule {

    /** Functions whose value changes per row: the default cannot be stored once in the catalog. */
    static final Pattern VOLATILE = Pattern.compile("(?i)\\b(random|clock_timestamp|timeofday|statement_timestamp"
            + "|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|nextval|txid_current|pg_current_xact_id)\\s*\\(");

    public VolatileDefault() {
        super("ZL006", "add-column-volatile-default", Severity.ERROR, 11,
                "ADD COLUMN with a volatile DEFAULT (random(), clock_timestamp(), gen_random_uuid(), nextval(), ...) rewrites the whole table under ACCESS EXCLUSIVE: no reads or writes until it is done. A constant or stable default (now()) is instant since PostgreSQL 11.",
                "ALTER TABLE <table> ADD COLUMN <column> <type>;\nALTER TABLE <table> ALTER COLUMN <column> SET DEFAULT <expression>;  -- new rows only\n-- then backfill in small batches, each its own transaction:\nUPDATE <table> SET <column> = <expression> WHERE <key> BETWEEN <a> AND <b> AND <column> IS NULL;");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return check(context).isPresent() ? SafeForms.volatileDefaultBackfilled(context) : Optional.empty();
    }

    @Override
    public Optional<String> check(Context context) {
        for (Action.AddColumn add : actions(context, Action.AddColumn.class)) {
            if (add.defaultExpression() != null && (VOLATILE.matcher(add.defaultExpression()).find()
                    || callsVolatileFunction(add.defaultExpression(), context.state()))) {
                return Optional.of("column " + add.column() + " is added with the volatile default "
                        + add.defaultExpression() + ": every row of " + table(context) + " is rewritten");
            }
        }
        return Optional.empty();
    }

    /** A function these migrations created without IMMUTABLE or STABLE is volatile, as PostgreSQL makes it. */
    private static boolean callsVolatileFunction(String expression, MigrationState state) {
        for (java.util.Map.Entry<String, String> function : state.functions().entrySet()) {
            if (function.getValue().equals("volatile") && Pattern.compile("(?i)(^|[^\\w$])\"?"
                    + Pattern.quote(function.getKey()) + "\"?\\s*\\(").matcher(expression).find()) {
                return true;
            }
        }
        return false;
    }
}

package io.zerolock.check.rules;

import io.zerolock.catalog.Identifiers;
import io.zerolock.check.Rewrite;
import io.zerolock.check.Rewrite.SafeStatement;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The safe form of a statement, built from the statement's own text: CONCURRENTLY or NOT VALID inserted,
 * split into the steps that take no blocking lock, every other clause kept as written (a partial index's
 * WHERE, INCLUDE, WITH, TABLESPACE, the method and opclasses, a key's deferrability and actions). Each
 * form produces the catalog the original statement would have; where that cannot be guaranteed from the
 * text alone, there is none and the rule's template applies.
 */
final class SafeForms {

    private static final Pattern CREATE_INDEX = Pattern.compile("(?is)^(\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX)(\\s+)");
    private static final Pattern REINDEX = Pattern.compile(
            "(?is)^(\\s*REINDEX\\s+(?:\\([^)]*\\)\\s*)?(?:INDEX|TABLE|SCHEMA|DATABASE|SYSTEM))(\\s+)");
    private static final Pattern REFRESH = Pattern.compile("(?is)^(\\s*REFRESH\\s+MATERIALIZED\\s+VIEW)(\\s+)");
    private static final Pattern ADD = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+.*?\\s+(ADD\\s+.*)$");
    private static final Pattern NOT_VALID = Pattern.compile("(?is)\\s+NOT\\s+VALID\\s*$");
    private static final int NAMEDATALEN = 64;

    private SafeForms() {}

    /** The statement as written, without its semicolon and trailing blanks. */
    private static String body(Context context) {
        return context.statement().text().strip().replaceAll(";\\s*$", "").strip();
    }

    private static boolean has(String text, String word) {
        return Pattern.compile("(?i)\\b" + word + "\\b").matcher(text).find();
    }

    /** {@code CREATE [UNIQUE] INDEX ...} with CONCURRENTLY after INDEX, everything else as written. */
    static Optional<Rewrite> createIndexConcurrently(Context context) {
        String text = body(context);
        Matcher matcher = CREATE_INDEX.matcher(text);
        if (!matcher.find() || has(text.substring(matcher.end()).split("\\s+", 2)[0], "concurrently")
                || !(context.recognized() instanceof Recognized.CreateIndex index)) {
            return Optional.empty();
        }
        // an unnamed index gets the same name from PostgreSQL either way; only a named one can be looked up
        return Optional.of(Rewrite.of(SafeStatement.concurrent(matcher.replaceFirst("$1 CONCURRENTLY$2"),
                index.index() == null ? null : indexIn(index.index(), index.table()), "outside a transaction; if it "
                        + "fails, DROP INDEX CONCURRENTLY the invalid index and retry")));
    }

    /** An index's name qualified as PostgreSQL places it: in its table's schema. */
    private static String indexIn(Name index, Name table) {
        return index.schema() != null || table.schema() == null ? index.toString()
                : new Name(List.of(table.schema(), index.object())).toString();
    }

    /** One {@code DROP INDEX CONCURRENTLY} per index (it takes one), IF EXISTS kept; not with CASCADE. */
    static Optional<Rewrite> dropIndexConcurrently(Context context) {
        if (!(context.recognized() instanceof Recognized.DropIndex drop) || has(body(context), "cascade")) {
            return Optional.empty();
        }
        List<SafeStatement> statements = new ArrayList<>();
        for (int i = 0; i < drop.indexes().size(); i++) {
            Name index = drop.indexes().get(i);
            statements.add(SafeStatement.concurrent("DROP INDEX CONCURRENTLY " + (drop.ifExists() ? "IF EXISTS " : "")
                    + index, index.toString(), i == drop.indexes().size() - 1 ? "outside a transaction" : null));
        }
        return Optional.of(new Rewrite(statements));
    }

    /** {@code REINDEX ... CONCURRENTLY} (12+), options kept. */
    static Optional<Rewrite> reindexConcurrently(Context context, String alternative) {
        Matcher matcher = REINDEX.matcher(body(context));
        if (context.pgVersion() < 12 || !matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(Rewrite.of(SafeStatement.concurrent(matcher.replaceFirst("$1 CONCURRENTLY$2"), null,
                "outside a transaction; or: " + alternative)));
    }

    /** {@code REFRESH MATERIALIZED VIEW CONCURRENTLY}, which needs a unique index on the view. */
    static Optional<String> refreshConcurrently(Context context, Name view) {
        Matcher matcher = REFRESH.matcher(body(context));
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of("CREATE UNIQUE INDEX CONCURRENTLY ON " + view + " (...);  -- once, if it has none\n"
                + matcher.replaceFirst("$1 CONCURRENTLY$2") + ";");
    }

    /** {@code DETACH PARTITION p CONCURRENTLY} (14+). */
    static Optional<Rewrite> detachConcurrently(Context context) {
        String text = body(context);
        if (context.pgVersion() < 14 || has(text, "finalize") || !(context.recognized() instanceof Recognized.AlterTable
                alter) || alter.actions().size() != 1) {
            return Optional.empty();
        }
        return Optional.of(Rewrite.of(SafeStatement.concurrent(text + " CONCURRENTLY", null, "outside a transaction, "
                + "and not with a default partition; it leaves a CHECK constraint of the old bounds on the detached "
                + "table: drop it if unwanted")));
    }

    /**
     * A CHECK or FOREIGN KEY added NOT VALID (instant), then validated in a transaction of its own
     * (SHARE UPDATE EXCLUSIVE): the statement's own constraint text, its name as PostgreSQL would choose it.
     */
    static Optional<Rewrite> notValidThenValidate(Context context, Action.ConstraintKind kind) {
        if (!(context.recognized() instanceof Recognized.AlterTable alter) || alter.actions().size() != 1
                || !(alter.actions().get(0) instanceof Action.AddConstraint add) || add.kind() != kind) {
            return Optional.empty();
        }
        String text = body(context);
        if (NOT_VALID.matcher(text).find()) {
            return Optional.empty();
        }
        String name = add.name() != null ? add.name() : defaultName(context, alter.table(), add);
        if (name == null) {
            return Optional.empty();
        }
        return Optional.of(Rewrite.of(SafeStatement.quick(text + " NOT VALID", "instant"),
                SafeStatement.validate("ALTER TABLE " + alter.table() + " VALIDATE CONSTRAINT " + Identifiers.display(name),
                        "in a transaction of its own: SHARE UPDATE EXCLUSIVE, writes go on")));
    }

    /**
     * {@code SET NOT NULL} of one column (12+): a {@code CHECK (column IS NOT NULL)} added NOT VALID and
     * validated without blocking, then SET NOT NULL (which uses it instead of scanning), then the check
     * dropped; the catalog ends as SET NOT NULL alone leaves it.
     */
    static Optional<Rewrite> notNullThroughCheck(Context context) {
        if (context.pgVersion() < 12 || !(context.recognized() instanceof Recognized.AlterTable alter)
                || alter.actions().size() != 1 || !(alter.actions().get(0) instanceof Action.SetNotNull set)) {
            return Optional.empty();
        }
        String table = (alter.ifExists() ? "IF EXISTS " : "") + alter.table();
        String column = Identifiers.display(set.column());
        String check = Identifiers.display(objectName("zerolock", set.column(), "not_null"));
        return Optional.of(Rewrite.of(
                SafeStatement.quick("ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column
                        + " IS NOT NULL) NOT VALID", "instant"),
                SafeStatement.validate("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check,
                        "SHARE UPDATE EXCLUSIVE: reads and writes go on"),
                SafeStatement.quick(body(context), "no scan: the validated check proves it"),
                SafeStatement.quick("ALTER TABLE " + table + " DROP CONSTRAINT " + check, null)));
    }

    /** {@code ADD [COLUMN] [IF NOT EXISTS] name type [NOT NULL] DEFAULT expr [NOT NULL]}, nothing else. */
    private static final Pattern ADD_COLUMN_DEFAULT = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+(.+?)\\s+ADD\\s+"
            + "(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\s+(.+?)"
            + "(\\s+NOT\\s+NULL)?\\s+DEFAULT\\s+(.+?)(\\s+NOT\\s+NULL)?\\s*$");

    /**
     * {@code ADD COLUMN ... DEFAULT <volatile>}: the column added without a default (instant), the default
     * set (for new rows), the existing rows given it in key ranges ({@code SET col = DEFAULT}, so each row
     * gets its own value, as the rewrite would have), then NOT NULL through a validated CHECK when asked
     * (12+). The catalog ends as the statement leaves it.
     */
    static Optional<Rewrite> volatileDefaultBackfilled(Context context) {
        if (!(context.recognized() instanceof Recognized.AlterTable alter) || alter.actions().size() != 1
                || !(alter.actions().get(0) instanceof Action.AddColumn add) || add.defaultExpression() == null
                || add.identity() || add.storedGenerated()) {
            return Optional.empty();
        }
        Matcher matcher = ADD_COLUMN_DEFAULT.matcher(body(context));
        boolean notNull = matcher.matches() && (matcher.group(4) != null || matcher.group(6) != null);
        if (!matcher.matches() || (notNull && context.pgVersion() < 12)
                || has(matcher.group(3), "not|null|references|check|unique|primary|collate|generated|constraint")
                || has(matcher.group(5), "not|null|references|check|unique|primary|collate|generated|constraint")) {
            return Optional.empty();
        }
        String type = matcher.group(3).strip();
        String expression = matcher.group(5).strip();
        String table = matcher.group(1).strip();
        String column = matcher.group(2);
        List<SafeStatement> steps = new ArrayList<>(List.of(
                SafeStatement.quick("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type,
                        "instant: no default yet"),
                SafeStatement.quick("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DEFAULT " + expression,
                        "new rows get it from now on"),
                SafeStatement.backfill("UPDATE " + table + " SET " + column + " = DEFAULT", table,
                        "existing rows, in key ranges, each its own short transaction")));
        if (notNull) {
            String check = Identifiers.display(objectName("zerolock", Token.identifier(column), "not_null"));
            steps.add(SafeStatement.quick("ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column
                    + " IS NOT NULL) NOT VALID", "instant"));
            steps.add(SafeStatement.validate("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check,
                    "SHARE UPDATE EXCLUSIVE: reads and writes go on"));
            steps.add(SafeStatement.quick("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL",
                    "no scan: the validated check proves it"));
            steps.add(SafeStatement.quick("ALTER TABLE " + table + " DROP CONSTRAINT " + check, null));
        }
        return Optional.of(new Rewrite(steps));
    }

    /** A whole-table {@code UPDATE t SET ...}: the same UPDATE, run in key ranges by apply. */
    static Optional<Rewrite> batchedUpdate(Context context, Name table) {
        return Optional.of(Rewrite.of(SafeStatement.backfill(body(context), table.toString(), "in key ranges, each "
                + "its own short transaction (zerolock apply runs it so; by hand: add WHERE <key> >= <a> AND <key> "
                + "< <b> and loop)")));
    }

    /** {@code ADD [COLUMN] name type [CONSTRAINT c] UNIQUE | REFERENCES ...}: one inline constraint, nothing else. */
    private static final Pattern ADD_COLUMN_INLINE = Pattern.compile("(?is)^\\s*ALTER\\s+TABLE\\s+(.+?)\\s+ADD\\s+"
            + "(?:COLUMN\\s+)?(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\s+(.+?)\\s+"
            + "(?:CONSTRAINT\\s+(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)\\s+)?(UNIQUE|REFERENCES\\s+.+)$");

    /**
     * A column added with one inline UNIQUE or REFERENCES constraint: the column added alone (instant),
     * then the constraint the safe way (its unique index built concurrently and attached; the foreign key
     * NOT VALID, then validated), under the name PostgreSQL would have given it.
     */
    static Optional<Rewrite> inlineConstraintSplit(Context context, Action.ConstraintKind kind) {
        if (!(context.recognized() instanceof Recognized.AlterTable alter) || alter.actions().size() != 2
                || !(alter.actions().get(0) instanceof Action.AddColumn column)
                || !(alter.actions().get(1) instanceof Action.AddConstraint add) || add.kind() != kind
                || column.defaultExpression() != null || column.notNull()) {
            return Optional.empty();
        }
        Matcher matcher = ADD_COLUMN_INLINE.matcher(body(context));
        if (!matcher.matches() || has(matcher.group(3), "not|null|default|unique|references|check|primary|"
                + "constraint|generated")) {
            return Optional.empty();
        }
        String table = matcher.group(1).strip();
        String written = matcher.group(2);
        String name = matcher.group(4) != null ? Token.identifier(matcher.group(4))
                : objectName(alter.table().object(), column.column(), kind == Action.ConstraintKind.UNIQUE
                        ? "key" : "fkey");
        String constraint = Identifiers.display(name);
        SafeStatement addColumn = SafeStatement.quick("ALTER TABLE " + table + " ADD COLUMN " + written + " "
                + matcher.group(3).strip(), "instant: the column alone");
        if (kind == Action.ConstraintKind.UNIQUE) {
            if (!matcher.group(5).equalsIgnoreCase("UNIQUE")) {
                return Optional.empty();
            }
            return Optional.of(Rewrite.of(addColumn,
                    SafeStatement.concurrent("CREATE UNIQUE INDEX CONCURRENTLY " + constraint + " ON " + table + " ("
                            + written + ")", indexIn(new Name(List.of(name)), alter.table()), "outside a transaction"),
                    SafeStatement.quick("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " UNIQUE USING INDEX "
                            + constraint, "instant")));
        }
        return Optional.of(Rewrite.of(addColumn,
                SafeStatement.quick("ALTER TABLE " + table + " ADD CONSTRAINT " + constraint + " FOREIGN KEY ("
                        + written + ") " + matcher.group(5).strip() + " NOT VALID", "instant"),
                SafeStatement.validate("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint,
                        "in a transaction of its own: SHARE UPDATE EXCLUSIVE, writes go on")));
    }

    /** Where a UNIQUE or PRIMARY KEY's clauses go when its index is built first. */
    private static final Pattern KEY = Pattern.compile("(?is)^(?:CONSTRAINT\\s+(?:\"(?:[^\"]|\"\")+\"|\\S+)\\s+)?"
            + "(UNIQUE|PRIMARY\\s+KEY)\\s*(NULLS\\s+(?:NOT\\s+)?DISTINCT\\s*)?(\\([^)]*\\))\\s*"
            + "(INCLUDE\\s*\\([^)]*\\)\\s*)?(WITH\\s*\\([^)]*\\)\\s*)?(USING\\s+INDEX\\s+TABLESPACE\\s+(\\S+)\\s*)?"
            + "((?:NOT\\s+)?DEFERRABLE(?:\\s+INITIALLY\\s+(?:DEFERRED|IMMEDIATE))?)?\\s*$");

    /**
     * {@code ADD UNIQUE} / {@code ADD PRIMARY KEY}: the unique index built concurrently with the key's own
     * columns, NULLS, INCLUDE, WITH and tablespace, then attached as the same kind of constraint (with its
     * deferrability) USING INDEX, under the name PostgreSQL would have given it.
     */
    static Optional<Rewrite> uniqueUsingIndex(Context context) {
        if (!(context.recognized() instanceof Recognized.AlterTable alter) || alter.actions().size() != 1
                || !(alter.actions().get(0) instanceof Action.AddConstraint add) || add.usingIndex() != null
                || (add.kind() != Action.ConstraintKind.UNIQUE && add.kind() != Action.ConstraintKind.PRIMARY_KEY)) {
            return Optional.empty();
        }
        Matcher add0 = ADD.matcher(body(context));
        if (!add0.matches()) {
            return Optional.empty();
        }
        Matcher key = KEY.matcher(add0.group(1).replaceFirst("(?is)^ADD\\s+", ""));
        if (!key.matches()) {
            return Optional.empty();
        }
        String name = add.name();
        if (name == null) {
            // PostgreSQL names a unique key after all its index's columns, INCLUDE ones too
            List<String> named = new ArrayList<>(add.columns());
            if (key.group(4) != null) {
                Matcher included = Pattern.compile("(\"(?:[^\"]|\"\")+\"|[^\\s,()]+)")
                        .matcher(key.group(4).replaceFirst("(?i)^INCLUDE\\s*", ""));
                while (included.find()) {
                    named.add(Token.identifier(included.group(1)));
                }
            }
            name = add.kind() == Action.ConstraintKind.PRIMARY_KEY ? objectName(alter.table().object(), null, "pkey")
                    : objectName(alter.table().object(), String.join("_", named), "key");
        }
        boolean primary = add.kind() == Action.ConstraintKind.PRIMARY_KEY;
        // a primary key makes its columns NOT NULL: one that is not yet would be proven by a scan under
        // ACCESS EXCLUSIVE, so it is made NOT NULL first through a validated CHECK (12+); before 12 there is
        // no way around that scan, and no exact safe form
        List<SafeStatement> notNullFirst = new ArrayList<>();
        if (primary) {
            for (String column : add.columns()) {
                if (context.state().knownNotNull(alter.table(), column)) {
                    continue;
                }
                if (context.pgVersion() < 12) {
                    return Optional.empty();
                }
                String quoted = Identifiers.display(column);
                String check = Identifiers.display(objectName("zerolock", column, "not_null"));
                notNullFirst.addAll(List.of(
                        SafeStatement.quick("ALTER TABLE " + alter.table() + " ADD CONSTRAINT " + check + " CHECK ("
                                + quoted + " IS NOT NULL) NOT VALID", "instant"),
                        SafeStatement.validate("ALTER TABLE " + alter.table() + " VALIDATE CONSTRAINT " + check,
                                "SHARE UPDATE EXCLUSIVE: reads and writes go on"),
                        SafeStatement.quick("ALTER TABLE " + alter.table() + " ALTER COLUMN " + quoted
                                + " SET NOT NULL", "no scan: the validated check proves it"),
                        SafeStatement.quick("ALTER TABLE " + alter.table() + " DROP CONSTRAINT " + check, null)));
            }
        }
        String index = "CREATE UNIQUE INDEX CONCURRENTLY " + Identifiers.display(name) + " ON " + alter.table() + " "
                + key.group(3).trim() + (key.group(4) == null ? "" : " " + key.group(4).trim())
                + (key.group(2) == null ? "" : " " + key.group(2).trim().toUpperCase(Locale.ROOT))
                + (key.group(5) == null ? "" : " " + key.group(5).trim())
                + (key.group(7) == null ? "" : " TABLESPACE " + key.group(7).trim());
        List<SafeStatement> statements = new ArrayList<>(notNullFirst);
        statements.add(SafeStatement.concurrent(index, indexIn(new Name(List.of(name)), alter.table()),
                "outside a transaction"));
        statements.add(SafeStatement.quick("ALTER TABLE " + alter.table() + " ADD CONSTRAINT "
                + Identifiers.display(name) + (primary ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX "
                + Identifiers.display(name) + (key.group(8) == null ? "" : " " + key.group(8).trim()), "instant"));
        return Optional.of(new Rewrite(statements));
    }

    /**
     * The name PostgreSQL gives an unnamed constraint (ChooseConstraintName / makeObjectName): table,
     * columns and a label, shortened to fit 63 bytes; null when the statement does not say enough.
     */
    static String defaultName(Context context, Name table, Action.AddConstraint add) {
        String label;
        String columns;
        switch (add.kind()) {
            case PRIMARY_KEY -> {
                label = "pkey";
                columns = null;
            }
            case UNIQUE -> {
                label = "key";
                columns = add.columns().isEmpty() ? null : String.join("_", add.columns());
            }
            case FOREIGN_KEY -> {
                label = "fkey";
                columns = add.columns().isEmpty() ? null : String.join("_", add.columns());
            }
            case CHECK -> {
                label = "check";
                Map<String, String> known = context.state().columns(table);
                if (known == null) {
                    return null;
                }
                List<String> named = new ArrayList<>();
                Matcher identifiers = Pattern.compile("(?i)(\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)(\\s*\\()?")
                        .matcher(add.definition().replaceFirst("(?is)^.*?\\bCHECK\\b", ""));
                while (identifiers.find()) {
                    String folded = Token.identifier(identifiers.group(1));
                    if (identifiers.group(2) == null && known.containsKey(folded) && !named.contains(folded)) {
                        named.add(folded);
                    }
                }
                columns = named.size() == 1 ? named.get(0) : null;
            }
            default -> {
                return null;
            }
        }
        if (add.kind() != Action.ConstraintKind.PRIMARY_KEY && add.kind() != Action.ConstraintKind.CHECK
                && columns == null) {
            return null;
        }
        return objectName(table.object(), columns, label);
    }

    /** PostgreSQL's makeObjectName: name1_name2_label within NAMEDATALEN - 1 bytes, the longer part cut first. */
    static String objectName(String name1, String name2, String label) {
        int overhead = label.length() + 1 + (name2 == null ? 0 : 1);
        int available = NAMEDATALEN - 1 - overhead;
        byte[] first = name1.getBytes(StandardCharsets.UTF_8);
        byte[] second = name2 == null ? new byte[0] : name2.getBytes(StandardCharsets.UTF_8);
        int firstChars = first.length;
        int secondChars = second.length;
        while (firstChars + secondChars > available) {
            if (firstChars > secondChars) {
                firstChars--;
            } else {
                secondChars--;
            }
        }
        String result = Identifiers.clip(name1, firstChars);
        if (name2 != null) {
            result += "_" + Identifiers.clip(name2, secondChars);
        }
        return result + "_" + label;
    }
}

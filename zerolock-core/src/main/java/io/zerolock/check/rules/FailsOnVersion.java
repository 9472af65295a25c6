package io.zerolock.check.rules;

import io.zerolock.check.Category;
import io.zerolock.check.Severity;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.List;
import java.util.Optional;

/**
 * ZL029 fails-on-version: statements that PostgreSQL of the target version refuses, as far as the
 * version and the migrations' history tell: the deploy breaks there, often half-way through a file.
 */
public final class FailsOnVersion extends Rule {

    public FailsOnVersion() {
        super("ZL029", "fails-on-version", Severity.ERROR, 11,
                "This statement fails on the target PostgreSQL version, as the version and the earlier migrations "
                        + "tell: syntax the version does not have, a concurrent build on a partitioned table, a NOT NULL "
                        + "column without a default on a table that has rows. The deploy breaks there.",
                "Write it the way this version accepts (see the message); --trace runs it on a real server of the "
                        + "version to be sure.");
    }

    @Override
    public Category category() {
        return Category.COMPATIBILITY;
    }

    @Override
    public Optional<String> check(Context context) {
        int version = context.pgVersion();
        Recognized r = context.recognized();
        List<Token> tokens = context.statement().body();
        if (r instanceof Recognized.Reindex reindex && reindex.concurrently() && version < 12) {
            return Optional.of("REINDEX ... CONCURRENTLY needs PostgreSQL 12+");
        }
        if (r instanceof Recognized.CreateIndex index && index.concurrently() && context.state().partitioned(index.table())) {
            return Optional.of("CREATE INDEX CONCURRENTLY cannot build on the partitioned table " + index.table()
                    + ": create it ON ONLY the parent, build each partition's index concurrently, then ATTACH them");
        }
        // what the version refuses, it refuses on a new table too
        List<Action> all = r instanceof Recognized.AlterTable alter ? alter.actions() : List.of();
        for (Action.DetachPartition detach : all.stream().filter(Action.DetachPartition.class::isInstance)
                .map(Action.DetachPartition.class::cast).toList()) {
            if (detach.concurrently() && version < 14) {
                return Optional.of("DETACH PARTITION ... CONCURRENTLY needs PostgreSQL 14+");
            }
            if (detach.concurrently() && context.state().hasDefaultPartition(table(context))) {
                return Optional.of("DETACH PARTITION ... CONCURRENTLY is refused while " + table(context)
                        + " has a DEFAULT partition");
            }
        }
        if (r instanceof Recognized.RefreshMaterializedView refresh && refresh.concurrently()
                && context.state().materializedWithoutUniqueIndex(refresh.view())) {
            return Optional.of("REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on " + refresh.view()
                    + ", and these migrations made none");
        }
        for (Action.AddColumn add : actions(context, Action.AddColumn.class)) {
            if (add.notNull() && add.defaultExpression() == null && !add.identity() && !add.storedGenerated()) {
                return Optional.of("column " + add.column() + " is added NOT NULL without a DEFAULT: it fails on "
                        + table(context) + " as soon as the table has a row");
            }
        }
        if (!tokens.isEmpty() && tokens.get(0).is("vacuum") && context.state().inTransaction()) {
            return Optional.of("VACUUM cannot run inside a transaction block");
        }
        boolean generated = sequence(tokens, "generated", "always", "as") && !sequence(tokens, "as", "identity");
        if (generated && version < 12) {
            return Optional.of("generated columns need PostgreSQL 12+");
        }
        if (generated && version < 18 && !sequence(tokens, "stored")) {
            return Optional.of("a virtual generated column (no STORED) needs PostgreSQL 18+; before, write STORED");
        }
        for (Action.AddConstraint add : all.stream().filter(Action.AddConstraint.class::isInstance)
                .map(Action.AddConstraint.class::cast).toList()) {
            if (add.kind() == Action.ConstraintKind.NOT_NULL && add.notValid() && version < 18) {
                return Optional.of("a NOT NULL constraint added NOT VALID needs PostgreSQL 18+; before, add CHECK "
                        + "(column IS NOT NULL) NOT VALID, validate it, then SET NOT NULL");
            }
        }
        if (version < 14 && sequence(tokens, "begin", "atomic")) {
            return Optional.of("a BEGIN ATOMIC body needs PostgreSQL 14+");
        }
        if (version < 15 && sequence(tokens, "nulls", "not", "distinct")) {
            return Optional.of("NULLS NOT DISTINCT needs PostgreSQL 15+");
        }
        return Optional.empty();
    }

    private static boolean sequence(List<Token> tokens, String... words) {
        for (int i = 0; i + words.length <= tokens.size(); i++) {
            boolean all = true;
            for (int j = 0; j < words.length && all; j++) {
                all = tokens.get(i + j).kind() == Token.Kind.WORD && tokens.get(i + j).is(words[j]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}

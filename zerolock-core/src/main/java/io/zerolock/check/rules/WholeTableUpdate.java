package io.zerolock.check.rules;

import io.zerolock.check.Rewrite;
import io.zerolock.check.Severity;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Recognized;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** ZL030 whole-table-update: an UPDATE of every row in one statement (a backfill). */
public final class WholeTableUpdate extends Rule {

    public WholeTableUpdate() {
        super("ZL030", "whole-table-update", Severity.WARNING, 11,
                "An UPDATE of every row in one statement holds a row lock on each row it changed until it commits, so application writes to those rows queue behind it; it writes the whole table's WAL at once (standbys fall behind) and leaves as many dead rows as the table has.",
                "-- in key ranges, each its own short transaction (zerolock apply runs it so):\nUPDATE <table> SET ... WHERE <key> >= <a> AND <key> < <b>;");
    }

    @Override
    public Optional<Rewrite> rewrite(Context context) {
        if (check(context).isEmpty()) {
            return Optional.empty();
        }
        return SafeForms.batchedUpdate(context, ((Recognized.DataChange) context.recognized()).table());
    }

    @Override
    public Optional<String> check(Context context) {
        if (!(context.recognized() instanceof Recognized.DataChange change) || !change.verb().equals("UPDATE")
                || change.table() == null || context.state().isNew(change.table()) || !everyRow(context)) {
            return Optional.empty();
        }
        return Optional.of("UPDATE of every row of " + change.table() + " in one transaction");
    }

    /** No WHERE, FROM, RETURNING or WITH at the statement's own level: every row, plainly. */
    private static boolean everyRow(Context context) {
        List<Token> tokens = context.statement().body();
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.isPunctuation("(")) {
                depth++;
            } else if (token.isPunctuation(")")) {
                depth--;
            } else if (depth == 0 && (i == 0 ? token.text().equalsIgnoreCase("with")
                    : List.of("where", "from", "returning").contains(token.text().toLowerCase(Locale.ROOT)))) {
                return false;
            }
        }
        return true;
    }
}

package io.zerolock.queue;

import io.zerolock.check.lex.Splitter;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.check.recognize.Recognizer;
import java.util.List;
import java.util.Optional;

/**
 * A migration statement the queue can take, as the checker's recogniser reads it: a named {@code CREATE
 * [UNIQUE] INDEX}, a {@code DROP INDEX} of one index, an {@code ALTER TABLE ... VALIDATE CONSTRAINT}. Names are
 * kept as written (folded as PostgreSQL folds them); the catalog resolves them.
 */
sealed interface Queueable {

    /** Where the statement is, for messages. */
    String location();

    /**
     * @param index the index's name parts as written (an optional schema, then the name)
     * @param table the table's name parts as written
     * @param tail everything after the table's name ({@code USING ... (...) ... WHERE ...}), as written
     */
    record CreateIndex(String location, List<String> index, List<String> table, boolean unique, String tail)
            implements Queueable {}

    record DropIndex(String location, List<String> index, boolean ifExists) implements Queueable {}

    record Validate(String location, List<String> table, String constraint) implements Queueable {}

    /**
     * What the statement (of the source {@code sql}) asks the queue to do; empty when it is none of the three; a
     * statement that is one of them but cannot be queued (an unnamed index, several indexes in one DROP,
     * CASCADE) throws with why.
     */
    static Optional<Queueable> read(Splitter.Statement statement, String sql) {
        String where = statement.location();
        List<Token> body = statement.body();
        Recognized recognized = Recognizer.recognize(statement);
        if (recognized instanceof Recognized.CreateIndex create) {
            if (create.index() == null) {
                throw refused(where, "the index has no name: name it, so the queue and the later migration can find "
                        + "it by name and definition");
            }
            if (create.only()) {
                throw refused(where, "CREATE INDEX ON ONLY makes an invalid index on a partitioned table alone; it "
                        + "is not a build the queue can run");
            }
            if (create.definitionOffset() < 0) {
                throw refused(where, "the statement ends after the table's name");
            }
            Token last = body.get(body.size() - 1);
            return Optional.of(new CreateIndex(where, create.index().parts(), create.table().parts(), create.unique(),
                    sql.substring(create.definitionOffset(), last.offset() + last.text().length())));
        }
        if (recognized instanceof Recognized.DropIndex drop) {
            if (drop.indexes().size() != 1 || body.get(body.size() - 1).is("CASCADE")) {
                throw refused(where, "queue one index per DROP INDEX, without CASCADE (a concurrent drop takes one "
                        + "index and never drops what depends on it)");
            }
            return Optional.of(new DropIndex(where, drop.indexes().get(0).parts(), drop.ifExists()));
        }
        if (recognized instanceof Recognized.AlterTable alter
                && alter.actions().stream().anyMatch(Action.ValidateConstraint.class::isInstance)) {
            if (alter.actions().size() != 1) {
                throw refused(where, "queue one VALIDATE CONSTRAINT per statement, with nothing else in it");
            }
            return Optional.of(new Validate(where, alter.table().parts(),
                    ((Action.ValidateConstraint) alter.actions().get(0)).name()));
        }
        if (recognized instanceof Recognized.Unknown && indexStatement(body)) {
            throw refused(where, "zerolock cannot read this index statement");
        }
        return Optional.empty();
    }

    /** {@code CREATE [UNIQUE] INDEX} or {@code DROP INDEX} that the recogniser could not read. */
    private static boolean indexStatement(List<Token> body) {
        int at = body.size() > 1 && body.get(0).is("CREATE") && body.get(1).is("UNIQUE") ? 2 : 1;
        return body.size() > at && (body.get(0).is("CREATE") || body.get(0).is("DROP")) && body.get(at).is("INDEX");
    }

    private static QueueRefused refused(String where, String why) {
        return new QueueRefused(where + ": cannot queue it: " + why);
    }
}

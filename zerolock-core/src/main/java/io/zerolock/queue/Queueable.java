package io.zerolock.queue;

import io.zerolock.check.lex.Splitter;
import io.zerolock.check.lex.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A migration statement the queue can take, read from its tokens: a named {@code CREATE [UNIQUE] INDEX}, a
 * {@code DROP INDEX} of one index, an {@code ALTER TABLE ... VALIDATE CONSTRAINT}. Names are kept as
 * written (folded as PostgreSQL folds them); the catalog resolves them.
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
     * What the statement asks the queue to do; empty when it is none of the three; a statement that is one of
     * them but cannot be queued (an unnamed index, several indexes in one DROP, CASCADE) throws with why.
     */
    static Optional<Queueable> read(Splitter.Statement statement, String sql) {
        try {
            return readTokens(statement, sql);
        } catch (IllegalArgumentException e) {
            throw refused(statement.location(), e.getMessage());
        }
    }

    private static Optional<Queueable> readTokens(Splitter.Statement statement, String sql) {
        List<Token> tokens = statement.body();
        Walk walk = new Walk(tokens);
        String where = statement.location();
        if (walk.accept("CREATE")) {
            boolean unique = walk.accept("UNIQUE");
            if (!walk.accept("INDEX")) {
                return Optional.empty();
            }
            walk.accept("CONCURRENTLY");
            walk.accept("IF", "NOT", "EXISTS");
            if (walk.peekIs("ON")) {
                throw refused(where, "the index has no name: name it, so the queue and the later migration can find "
                        + "it by name and definition");
            }
            List<String> index = walk.name();
            walk.expect("ON");
            if (walk.accept("ONLY")) {
                throw refused(where, "CREATE INDEX ON ONLY makes an invalid index on a partitioned table alone; it "
                        + "is not a build the queue can run");
            }
            List<String> table = walk.name();
            if (walk.atEnd()) {
                throw refused(where, "the statement ends after the table's name");
            }
            Token first = tokens.get(walk.position);
            Token last = tokens.get(tokens.size() - 1);
            String tail = sql.substring(first.offset(), last.offset() + last.text().length());
            return Optional.of(new CreateIndex(where, index, table, unique, tail));
        }
        if (walk.accept("DROP", "INDEX")) {
            walk.accept("CONCURRENTLY");
            boolean ifExists = walk.accept("IF", "EXISTS");
            List<String> index = walk.name();
            walk.accept("RESTRICT");
            if (!walk.atEnd()) {
                throw refused(where, "queue one index per DROP INDEX, without CASCADE (a concurrent drop takes one "
                        + "index and never drops what depends on it)");
            }
            return Optional.of(new DropIndex(where, index, ifExists));
        }
        if (walk.accept("ALTER", "TABLE")) {
            walk.accept("IF", "EXISTS");
            walk.accept("ONLY");
            List<String> table = walk.name();
            if (!walk.accept("VALIDATE", "CONSTRAINT")) {
                return Optional.empty();
            }
            List<String> constraint = walk.name();
            if (!walk.atEnd() || constraint.size() != 1) {
                throw refused(where, "queue one VALIDATE CONSTRAINT per statement, with nothing else in it");
            }
            return Optional.of(new Validate(where, table, constraint.get(0)));
        }
        return Optional.empty();
    }

    private static QueueRefused refused(String where, String why) {
        return new QueueRefused(where + ": cannot queue it: " + why);
    }

    /** A cursor over the statement's tokens. */
    final class Walk {
        private final List<Token> tokens;
        private int position;

        Walk(List<Token> tokens) {
            this.tokens = tokens;
        }

        boolean atEnd() {
            return position >= tokens.size();
        }

        boolean peekIs(String word) {
            return !atEnd() && tokens.get(position).is(word);
        }

        boolean accept(String... words) {
            for (int i = 0; i < words.length; i++) {
                if (position + i >= tokens.size() || !tokens.get(position + i).is(words[i])) {
                    return false;
                }
            }
            position += words.length;
            return true;
        }

        void expect(String word) {
            if (!accept(word)) {
                throw new IllegalArgumentException("expected " + word + (atEnd() ? " at the end" : " before "
                        + tokens.get(position).text()));
            }
        }

        /** A possibly qualified name: identifiers joined by dots. */
        List<String> name() {
            List<String> parts = new ArrayList<>();
            do {
                if (atEnd() || tokens.get(position).identifier() == null) {
                    throw new IllegalArgumentException("expected a name" + (atEnd() ? " at the end" : " at "
                            + tokens.get(position).text()));
                }
                parts.add(tokens.get(position++).identifier());
            } while (!atEnd() && tokens.get(position).isPunctuation(".") && ++position > 0);
            return parts;
        }
    }
}

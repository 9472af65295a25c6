package io.zerolock.check;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The exact safe form of a statement, as statements to run in order: the catalog afterwards equals what
 * the original statement would have produced, apart from how it was locked. The checker prints it as the
 * finding's safe SQL; {@code zerolock apply} runs it.
 */
public record Rewrite(List<SafeStatement> statements) {

    public Rewrite {
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("a rewrite runs at least one statement");
        }
    }

    public static Rewrite of(SafeStatement... statements) {
        return new Rewrite(List.of(statements));
    }

    /** How a safe statement must run. */
    public enum How {
        /** Outside any transaction, with no lock_timeout, under the watchdog (CONCURRENTLY). */
        CONCURRENT,
        /** In a short transaction of its own under lock_timeout: instant, or a catalog change only. */
        SHORT,
        /** In a transaction of its own: SHARE UPDATE EXCLUSIVE, reads and writes go on while it scans. */
        VALIDATE,
        /**
         * A whole-table {@code UPDATE} (no WHERE), run in key ranges, each its own short transaction: the
         * sql is the UPDATE, the object the table it updates.
         */
        BACKFILL
    }

    /**
     * @param sql the statement, without a semicolon
     * @param object for a {@link How#CONCURRENT} build or drop, the index (as written, schema-qualified
     *     when the statement was) whose catalog state says whether it finished; else null
     * @param note what a reader should know about it, or null
     */
    public record SafeStatement(String sql, How how, String object, String note) {

        public static SafeStatement concurrent(String sql, String index, String note) {
            return new SafeStatement(sql, How.CONCURRENT, index, note);
        }

        public static SafeStatement quick(String sql, String note) {
            return new SafeStatement(sql, How.SHORT, null, note);
        }

        public static SafeStatement validate(String sql, String note) {
            return new SafeStatement(sql, How.VALIDATE, null, note);
        }

        public static SafeStatement backfill(String sql, String table, String note) {
            return new SafeStatement(sql, How.BACKFILL, table, note);
        }
    }

    /** As the checker prints it: one statement a line, each with its note as a comment. */
    public String render() {
        return statements.stream().map(s -> s.sql() + ";" + (s.note() == null ? "" : "  -- " + s.note()))
                .collect(Collectors.joining("\n"));
    }
}

package io.zerolock.queue;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.IndexShape;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.check.lex.Lexer;
import io.zerolock.check.lex.Token;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What makes two indexes (or constraints) the same: their definition as PostgreSQL prints it, with the name
 * and the table taken out, every name in it schema-qualified (printed with {@code search_path} set to
 * {@code pg_catalog} alone, so the text does not depend on anyone's search path). A definition that is not
 * built yet is printed the same way from a probe: the index created, in a transaction that is rolled back, on
 * an empty temporary copy of its table's columns.
 */
final class Definitions {

    private static final String PROBE_TABLE = "zerolock_queue_probe";
    private static final String PROBE_INDEX = "zerolock_queue_probe_index";

    /**
     * An index as the catalog has it.
     *
     * @param signature {@code [UNIQUE ]USING ...}: the definition without name and table
     * @param tablespace its tablespace when not the database's default, else null
     */
    record FoundIndex(long oid, QualifiedName name, QualifiedName table, long tableOid, boolean valid,
            String signature, String tablespace) {}

    /** A table constraint as the catalog has it; {@code definition} is {@code pg_get_constraintdef}. */
    record FoundConstraint(long oid, String name, boolean validated, String definition) {}

    private Definitions() {}

    /** The index of this name in this schema, if there is one. */
    static Optional<FoundIndex> index(CatalogReader catalog, String schema, String name) throws SQLException {
        return catalog.rolledBack(sql -> {
            qualifyEverything(sql);
            try (PreparedStatement statement = sql.getConnection().prepareStatement(INDEX + """
                    WHERE ic.relname = ? AND ic.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = ?)
                    """)) {
                statement.setString(1, name);
                statement.setString(2, schema);
                return found(statement);
            }
        });
    }

    /**
     * The signature of {@code CREATE [UNIQUE] INDEX ... ON table <tail>}, from a probe; PostgreSQL's own error
     * when the definition is wrong (a column that does not exist, an unknown operator class).
     */
    static FoundIndex probe(CatalogReader catalog, QualifiedName table, boolean unique, String tail)
            throws SQLException {
        return catalog.rolledBack(sql -> {
            sql.execute("CREATE TEMPORARY TABLE " + PROBE_TABLE + " (LIKE " + table.sql() + ")");
            sql.execute("CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + PROBE_INDEX + " ON pg_temp." + PROBE_TABLE
                    + " " + tail);
            qualifyEverything(sql);
            try (PreparedStatement statement = sql.getConnection().prepareStatement(INDEX
                    + " WHERE ic.oid = 'pg_temp." + PROBE_INDEX + "'::regclass")) {
                FoundIndex probed = found(statement).orElseThrow();
                // a temporary table's index may go to temp_tablespaces: only a tablespace the statement names counts
                return topLevel(tail, "TABLESPACE") >= 0 ? probed : new FoundIndex(probed.oid(), probed.name(),
                        probed.table(), probed.tableOid(), probed.valid(), probed.signature(), null);
            }
        });
    }

    /** The constraint of this name on this table, if there is one. */
    static Optional<FoundConstraint> constraint(CatalogReader catalog, long tableOid, String name)
            throws SQLException {
        return catalog.rolledBack(sql -> {
            qualifyEverything(sql);
            try (PreparedStatement statement = sql.getConnection().prepareStatement("SELECT oid, conname, "
                    + "convalidated, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = ? AND conname = ?")) {
                statement.setLong(1, tableOid);
                statement.setString(2, name);
                try (ResultSet rows = statement.executeQuery()) {
                    // the definition of a constraint not validated yet ends in NOT VALID: not part of what it is
                    return rows.next() ? Optional.of(new FoundConstraint(rows.getLong(1), rows.getString(2),
                            rows.getBoolean(3), rows.getString(4).replaceFirst(" NOT VALID$", "")))
                            : Optional.empty();
                }
            }
        });
    }

    /** The statement that builds an index of this signature under this name, on this table. */
    static String createConcurrently(QualifiedName index, QualifiedName table, String signature, String tablespace) {
        boolean unique = signature.startsWith("UNIQUE ");
        String rest = unique ? signature.substring("UNIQUE ".length()) : signature;
        if (tablespace != null) {
            int where = topLevel(rest, "WHERE");
            String placed = " TABLESPACE " + Identifiers.quote(tablespace);
            rest = where < 0 ? rest + placed : rest.substring(0, where) + placed + rest.substring(where);
        }
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Identifiers.quote(index.name()) + " ON "
                + table.sql() + " " + rest;
    }

    /** Where {@code word} is outside parentheses (from the space before it), or -1 when it is not. */
    private static int topLevel(String definition, String word) {
        Lexer lexer = new Lexer(definition);
        int depth = 0;
        for (Token token = lexer.next(); token != null; token = lexer.next()) {
            if (token.isPunctuation("(")) {
                depth++;
            } else if (token.isPunctuation(")")) {
                depth--;
            } else if (depth == 0 && token.is(word)) {
                return Math.max(0, token.offset() - 1);
            }
        }
        return -1;
    }

    private static final String INDEX = """
            SELECT i.indexrelid, ic.relname, ins.nspname, i.indrelid, tn.nspname, tc.relname, i.indisvalid,
                   (SELECT spcname FROM pg_tablespace WHERE oid = ic.reltablespace)
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace ins ON ins.oid = ic.relnamespace
            JOIN pg_class tc ON tc.oid = i.indrelid
            JOIN pg_namespace tn ON tn.oid = tc.relnamespace
            """;

    private static Optional<FoundIndex> found(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            long oid = rows.getLong(1);
            String signature = IndexShape.read(statement.getConnection(), oid).orElseThrow().signature();
            return Optional.of(new FoundIndex(oid, QualifiedName.of(rows.getString(3), rows.getString(2)),
                    QualifiedName.of(rows.getString(5), rows.getString(6)), rows.getLong(4), rows.getBoolean(7),
                    signature, rows.getString(8)));
        }
    }

    private static void qualifyEverything(Statement sql) throws SQLException {
        sql.execute("SET LOCAL search_path = pg_catalog, pg_temp");
    }
}

package io.zerolock.queue;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.IndexDefinition;
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
        Optional<IndexDefinition> index = catalog.relationOid(QualifiedName.of(schema, name)).flatMap(catalog::index);
        if (index.isEmpty()) {
            return Optional.empty();
        }
        IndexDefinition found = index.get();
        return Optional.of(new FoundIndex(found.oid(), found.name(), found.table(), found.tableOid(), found.valid(),
                signature(catalog, found.oid()), found.tablespace()));
    }

    /** An index's signature, every name in it qualified. */
    private static String signature(CatalogReader catalog, long oid) throws SQLException {
        return catalog.rolledBack(sql -> {
            qualifyEverything(sql);
            return IndexShape.read(sql.getConnection(), oid).orElseThrow(() -> new SQLException("index " + oid
                    + " is gone")).signature();
        });
    }

    /**
     * What {@code CREATE [UNIQUE] INDEX ... ON table <tail>} would make.
     *
     * @param tablespace the tablespace the tail names, else null
     */
    record Probed(String signature, String tablespace) {}

    /**
     * What {@code CREATE [UNIQUE] INDEX ... ON table <tail>} would make, from a probe; PostgreSQL's own error when
     * the definition is wrong (a column that does not exist, an unknown operator class).
     */
    static Probed probe(CatalogReader catalog, QualifiedName table, boolean unique, String tail) throws SQLException {
        return catalog.rolledBack(sql -> {
            sql.execute("CREATE TEMPORARY TABLE " + PROBE_TABLE + " (LIKE " + table.sql() + ")");
            sql.execute("CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + PROBE_INDEX + " ON pg_temp." + PROBE_TABLE
                    + " " + tail);
            qualifyEverything(sql);
            try (ResultSet rows = sql.executeQuery("SELECT c.oid, (SELECT spcname FROM pg_tablespace WHERE oid = "
                    + "c.reltablespace) FROM pg_class c WHERE c.oid = 'pg_temp." + PROBE_INDEX + "'::regclass")) {
                rows.next();
                long oid = rows.getLong(1);
                // a temporary table's index may go to temp_tablespaces: only a tablespace the statement names counts
                String tablespace = topLevel(tail, "TABLESPACE") >= 0 ? rows.getString(2) : null;
                return new Probed(IndexShape.read(sql.getConnection(), oid).orElseThrow().signature(), tablespace);
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

    private static void qualifyEverything(Statement sql) throws SQLException {
        sql.execute("SET LOCAL search_path = pg_catalog, pg_temp");
    }
}

package io.zerolock.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What an index is, apart from its name and its table: {@code pg_get_indexdef} without {@code CREATE [UNIQUE]
 * INDEX name ON [ONLY] table}. Two indexes of the same shape on the same table are the same index; a shape can
 * be built again under another name or on a copy of the table. Names inside it are printed as the session's
 * {@code search_path} shows them: read it with {@code pg_catalog} alone to have them all qualified.
 *
 * @param body {@code USING method (keys) [INCLUDE (...)] [NULLS NOT DISTINCT] [WITH (...)] [WHERE ...]}
 */
public record IndexShape(boolean unique, String body) {

    public IndexShape {
        if (!body.startsWith("USING ")) {
            throw new IllegalArgumentException("not an index body: " + body);
        }
    }

    /** {@code [UNIQUE ]USING ...}: what identity compares. */
    public String signature() {
        return (unique ? "UNIQUE " : "") + body;
    }

    /** The index's shape, read on {@code connection} (in its transaction and search_path, if any). */
    public static Optional<IndexShape> read(Connection connection, long indexOid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_get_indexdef(i.indexrelid), i.indisunique,
                       format('CREATE %sINDEX %I ON %s%I.%I ', CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END,
                              ic.relname, CASE WHEN tc.relkind = 'p' THEN 'ONLY ' ELSE '' END, tn.nspname, tc.relname)
                FROM pg_catalog.pg_index i
                JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid
                JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
                WHERE i.indexrelid = ?
                """)) {
            statement.setLong(1, indexOid);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String definition = rows.getString(1);
                String prefix = rows.getString(3);
                if (!definition.startsWith(prefix)) {
                    // newer servers print a temporary table's schema as pg_temp
                    prefix = prefix.replaceFirst(" ON (ONLY )?pg_temp_\\d+\\.", " ON $1pg_temp.");
                }
                if (!definition.startsWith(prefix)) {
                    throw new SQLException("unexpected index definition from pg_get_indexdef: " + definition);
                }
                return Optional.of(new IndexShape(rows.getBoolean(2), definition.substring(prefix.length())));
            }
        }
    }
}

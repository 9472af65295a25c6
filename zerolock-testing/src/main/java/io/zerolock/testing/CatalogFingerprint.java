package io.zerolock.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the "preserve everything" invariant promises about the tables of one schema, as sorted text
 * lines that name objects by name (OIDs and files change in a rebuild; nothing else may): every index's
 * definition, flags, tablespace, storage parameters, comment, statistics targets and owner; every
 * constraint's definition, deferrability, validity, comment and the index it uses; each table's replica
 * identity and owner; the planner statistics of every expression index.
 */
public final class CatalogFingerprint {

    private CatalogFingerprint() {}

    public static List<String> of(TestDatabase db, String schema) {
        try (Connection connection = db.server().connect(db.name())) {
            connection.createStatement().execute("SET search_path = pg_catalog, pg_temp");
            List<String> lines = new ArrayList<>();
            lines.addAll(rows(connection, """
                    SELECT 'table ' || t.relname || ' replident=' || t.relreplident::text || ' owner='
                           || pg_get_userbyid(t.relowner) || ' kind=' || t.relkind::text || ' persistence=' || t.relpersistence::text
                    FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                    WHERE n.nspname = ? AND t.relkind IN ('r', 'p', 'm')
                    """, schema));
            // columns: what a migration's rewrite must leave exactly as the statement would
            lines.addAll(rows(connection, """
                    SELECT 'column ' || t.relname || '.' || a.attname || ' #' || a.attnum || ' '
                           || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
                           || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
                           || ' identity=' || a.attidentity::text || ' generated=' || %s
                           || ' collation=' || coalesce((SELECT collname FROM pg_collation WHERE oid = a.attcollation
                                AND a.attcollation <> 0), '-')
                    FROM pg_attribute a
                    JOIN pg_class t ON t.oid = a.attrelid
                    JOIN pg_namespace n ON n.oid = t.relnamespace
                    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                    WHERE n.nspname = ? AND t.relkind IN ('r', 'p', 'm') AND a.attnum > 0 AND NOT a.attisdropped
                    """.formatted(db.majorVersion() >= 12 ? "a.attgenerated::text" : "'-'"), schema));
            lines.addAll(rows(connection, """
                    SELECT 'index ' || c.relname || ' on ' || t.relname || ': ' || pg_get_indexdef(c.oid)
                           || ' valid=' || x.indisvalid || ' ready=' || x.indisready || ' live=' || x.indislive
                           || ' clustered=' || x.indisclustered || ' replident=' || x.indisreplident
                           || ' immediate=' || x.indimmediate || ' tablespace=' || coalesce(ts.spcname, '-')
                           || ' options=' || coalesce(c.reloptions::text, '-') || ' owner=' || pg_get_userbyid(c.relowner)
                           || ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '-')
                           || ' stats=' || coalesce((SELECT string_agg(a.attnum || ':' || a.attstattarget, ',' ORDER BY a.attnum)
                                FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attstattarget > 0), '-')
                    FROM pg_index x
                    JOIN pg_class c ON c.oid = x.indexrelid
                    JOIN pg_class t ON t.oid = x.indrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    LEFT JOIN pg_tablespace ts ON ts.oid = c.reltablespace
                    WHERE n.nspname = ?
                    """, schema));
            // an expression index has planner statistics of its own: a rebuild must keep them
            lines.addAll(rows(connection, """
                    SELECT 'statistics of index ' || c.relname || ' column ' || s.staattnum || ': inherit='
                           || s.stainherit || ' nullfrac=' || s.stanullfrac || ' width=' || s.stawidth
                           || ' distinct=' || s.stadistinct || ' kinds=' || s.stakind1 || ',' || s.stakind2 || ','
                           || s.stakind3 || ',' || s.stakind4 || ',' || s.stakind5 || ' numbers='
                           || coalesce(s.stanumbers1::text, '-') || ' values=' || md5(coalesce(s.stavalues1::text, '-'))
                    FROM pg_statistic s
                    JOIN pg_class c ON c.oid = s.starelid AND c.relkind IN ('i', 'I')
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = ?
                    """, schema));
            lines.addAll(rows(connection, """
                    SELECT 'constraint ' || c.conname || ' on ' || t.relname || ': ' || pg_get_constraintdef(c.oid)
                           || ' deferrable=' || c.condeferrable || ' deferred=' || c.condeferred
                           || ' validated=' || c.convalidated
                           || ' index=' || coalesce((SELECT relname FROM pg_class WHERE oid = c.conindid), '-')
                           || ' comment=' || coalesce(obj_description(c.oid, 'pg_constraint'), '-')
                    FROM pg_constraint c
                    JOIN pg_class t ON t.oid = c.conrelid
                    JOIN pg_namespace n ON n.oid = t.relnamespace
                    WHERE n.nspname = ? AND c.contype <> 'n'
                    """, schema));
            lines.sort(String::compareTo);
            return lines;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fingerprint schema " + schema + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files of an index (for a partitioned index, of every index in its tree), to prove it was
     * rebuilt: a rebuild gives every one of them a new file.
     */
    public static List<Long> files(TestDatabase db, String qualifiedName) {
        try (Connection connection = db.server().connect(db.name());
                PreparedStatement statement = connection.prepareStatement("""
                        WITH RECURSIVE tree(oid) AS (
                            SELECT to_regclass(?)::oid
                            UNION ALL
                            SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid)
                        SELECT pg_relation_filenode(oid) FROM tree
                        WHERE pg_relation_filenode(oid) IS NOT NULL AND pg_relation_filenode(oid) <> 0
                        ORDER BY 1""")) {
            statement.setString(1, qualifiedName);
            List<Long> files = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    files.add(rows.getLong(1));
                }
            }
            return files;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rows(Connection connection, String sql, String schema) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }
}

package io.zerolock.catalog;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what the space an index or table takes follows from: row counts, sizes, storage parameters, and
 * for each column its type's layout and what ANALYZE found ({@code pg_stats}, so only what the role may read).
 */
public final class StorageReader {

    private final CatalogReader catalog;

    public StorageReader(CatalogReader catalog) {
        this.catalog = catalog;
    }

    /** Leaf indexes (not partitioned ones, which have no storage) of these OIDs, in the order given. */
    public List<IndexStorage> indexes(Collection<Long> oids) {
        if (oids.isEmpty()) {
            return List.of();
        }
        Long[] wanted = oids.toArray(Long[]::new);
        Map<Long, List<StoredColumn>> columns = new LinkedHashMap<>();
        String deterministic = catalog.server().major() >= 12 ? "coalesce(co.collisdeterministic, true)" : "true";
        catalog.query("""
                SELECT x.indexrelid, a.attnum, a.attnum <= x.indnkeyatts, ta.attname, a.attlen, a.attalign,
                       a.attstorage, pg_get_indexdef(x.indexrelid, a.attnum::int, false),
                       EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_amproc p ON p.amprocfamily = oc.opcfamily
                               AND p.amproclefttype = oc.opcintype AND p.amprocrighttype = oc.opcintype
                               AND p.amprocnum = 4
                               WHERE oc.oid = x.indclass[a.attnum - 1]) AND %s,
                       oc.opcname, s.null_frac, s.avg_width, s.n_distinct, s.most_common_freqs::float8[],
                       format_type(a.atttypid, a.atttypmod)
                FROM pg_index x
                JOIN pg_attribute a ON a.attrelid = x.indexrelid AND a.attnum > 0
                JOIN pg_class ic ON ic.oid = x.indexrelid
                JOIN pg_namespace inn ON inn.oid = ic.relnamespace
                JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace tn ON tn.oid = t.relnamespace
                LEFT JOIN pg_attribute ta ON x.indkey[a.attnum - 1] > 0 AND ta.attrelid = x.indrelid
                     AND ta.attnum = x.indkey[a.attnum - 1]
                LEFT JOIN pg_collation co ON co.oid = x.indcollation[a.attnum - 1]
                LEFT JOIN pg_opclass oc ON oc.oid = x.indclass[a.attnum - 1]
                LEFT JOIN pg_stats s ON NOT s.inherited AND CASE WHEN ta.attname IS NOT NULL
                     THEN s.schemaname = tn.nspname AND s.tablename = t.relname AND s.attname = ta.attname
                     ELSE s.schemaname = inn.nspname AND s.tablename = ic.relname AND s.attname = a.attname END
                WHERE x.indexrelid = ANY (?)
                ORDER BY x.indexrelid, a.attnum
                """.formatted(deterministic), List.of(array(wanted)), rows -> {
                    String column = rows.getString(4);
                    boolean computed = column == null;
                    columns.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(new StoredColumn(
                            rows.getInt(2), rows.getBoolean(3), computed ? rows.getString(8) : Identifiers.quote(column),
                            computed, layout(rows, 5), rows.getBoolean(9), rows.getString(10), statistics(rows, 11),
                            rows.getString(15)));
                    return null;
                });
        Map<Long, IndexStorage> found = new LinkedHashMap<>();
        catalog.query("""
                SELECT c.oid, n.nspname, c.relname, t.oid, tn.nspname, t.relname, am.amname,
                       pg_relation_size(c.oid), c.reltuples, t.reltuples, t.relpages, pg_relation_size(t.oid),
                       x.indisunique, pg_get_expr(x.indpred, x.indrelid), c.reloptions, s.idx_scan
                FROM pg_index x
                JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_class t ON t.oid = x.indrelid
                JOIN pg_namespace tn ON tn.oid = t.relnamespace
                JOIN pg_am am ON am.oid = c.relam
                LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = c.oid
                WHERE c.oid = ANY (?) AND c.relkind = 'i'
                """, List.of(array(wanted)), rows -> {
                    long oid = rows.getLong(1);
                    found.put(oid, new IndexStorage(oid, QualifiedName.of(rows.getString(2), rows.getString(3)),
                            rows.getLong(4), QualifiedName.of(rows.getString(5), rows.getString(6)),
                            rows.getString(7), rows.getLong(8), rows.getDouble(9), rows.getDouble(10),
                            rows.getLong(11), rows.getLong(12), rows.getBoolean(13), rows.getString(14),
                            CatalogReader.textArray(rows, 15), nullableLong(rows, 16),
                            columns.getOrDefault(oid, List.of())));
                    return null;
                });
        return Arrays.stream(wanted).map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * OIDs of ordinary tables and materialized views, optionally of one schema and/or one table (a
     * partitioned table stands for its leaf partitions), ordered by schema and name.
     */
    public List<Long> tableOids(String schema, Long tableOid) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("""
                WITH RECURSIVE tree(oid) AS (
                    SELECT c.oid FROM pg_class c WHERE ?::oid IS NULL OR c.oid = ?::oid
                    UNION SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.oid
                        WHERE ?::oid IS NOT NULL)
                SELECT c.oid FROM tree JOIN pg_class c ON c.oid = tree.oid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'm') AND NOT %s AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
                """.formatted(CatalogReader.SYSTEM.formatted("n", "c")));
        parameters.add(tableOid);
        parameters.add(tableOid);
        parameters.add(tableOid);
        if (schema != null) {
            sql.append(" AND n.nspname = ?");
            parameters.add(schema);
        }
        sql.append(" ORDER BY n.nspname, c.relname");
        return catalog.query(sql.toString(), parameters, rows -> rows.getLong(1));
    }

    /** Indexes on the leaf partitions of a partitioned table (or the table's own), for {@link #indexes}. */
    public List<Long> indexOidsOf(Collection<Long> tableOids) {
        if (tableOids.isEmpty()) {
            return List.of();
        }
        return catalog.query("""
                SELECT x.indexrelid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE x.indrelid = ANY (?) AND c.relkind = 'i' ORDER BY n.nspname, t.relname, c.relname
                """, List.of(array(tableOids.toArray(Long[]::new))), rows -> rows.getLong(1));
    }

    public List<TableStorage> tables(Collection<Long> oids) {
        if (oids.isEmpty()) {
            return List.of();
        }
        Long[] wanted = oids.toArray(Long[]::new);
        Map<Long, List<StoredColumn>> columns = new LinkedHashMap<>();
        catalog.query("""
                SELECT a.attrelid, a.attnum, a.attname, a.attisdropped, a.attlen, a.attalign, a.attstorage,
                       s.null_frac, s.avg_width, s.n_distinct, s.most_common_freqs::float8[]
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_stats s ON NOT s.inherited AND s.schemaname = n.nspname AND s.tablename = c.relname
                     AND s.attname = a.attname AND NOT a.attisdropped
                WHERE a.attrelid = ANY (?) AND a.attnum > 0
                ORDER BY a.attrelid, a.attnum
                """, List.of(array(wanted)), rows -> {
                    Optional<ColumnStatistics> statistics = rows.getBoolean(4)
                            ? Optional.of(new ColumnStatistics(1, 0, 0, List.of())) // dropped: always NULL
                            : statistics(rows, 8);
                    columns.computeIfAbsent(rows.getLong(1), k -> new ArrayList<>()).add(new StoredColumn(
                            rows.getInt(2), true, Identifiers.quote(rows.getString(3)), false, layout(rows, 5), false,
                            null, statistics, null));
                    return null;
                });
        Map<Long, TableStorage> found = new LinkedHashMap<>();
        catalog.query("""
                SELECT c.oid, n.nspname, c.relname, pg_relation_size(c.oid), c.reltuples, c.relpages, c.reloptions,
                       s.seq_scan + coalesce(s.idx_scan, 0)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
                WHERE c.oid = ANY (?)
                """, List.of(array(wanted)), rows -> {
                    long oid = rows.getLong(1);
                    found.put(oid, new TableStorage(oid, QualifiedName.of(rows.getString(2), rows.getString(3)),
                            rows.getLong(4), rows.getDouble(5), rows.getLong(6), CatalogReader.textArray(rows, 7),
                            nullableLong(rows, 8), columns.getOrDefault(oid, List.of())));
                    return null;
                });
        return Arrays.stream(wanted).map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    private Array array(Long[] oids) {
        try {
            return catalog.connection().createArrayOf("oid", oids);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make an oid array: " + e.getMessage(), e);
        }
    }

    private static TypeLayout layout(ResultSet rows, int at) throws SQLException {
        char storage = rows.getString(at + 2).charAt(0);
        return new TypeLayout(rows.getInt(at), rows.getString(at + 1).charAt(0), storage != 'p',
                storage == 'x' || storage == 'm');
    }

    private static Optional<ColumnStatistics> statistics(ResultSet rows, int at) throws SQLException {
        double nullFraction = rows.getDouble(at);
        if (rows.wasNull()) {
            return Optional.empty();
        }
        List<Double> frequencies = new ArrayList<>();
        Array array = rows.getArray(at + 3);
        if (array != null) {
            for (Object value : (Object[]) array.getArray()) {
                frequencies.add(((Number) value).doubleValue());
            }
        }
        return Optional.of(new ColumnStatistics(nullFraction, rows.getDouble(at + 1), rows.getDouble(at + 2),
                frequencies));
    }

    private static Long nullableLong(ResultSet rows, int at) throws SQLException {
        long value = rows.getLong(at);
        return rows.wasNull() ? null : value;
    }
}

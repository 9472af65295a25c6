package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StoredColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * A sample of an index's entries, computed from a sample of its table's rows (TABLESAMPLE SYSTEM, a few
 * thousand rows, read-only, under lock and statement timeouts): the sizes the index stores them at, and
 * the share of rows a partial index covers.
 *
 * @param sampledRows rows read
 * @param entries rows the index covers among them
 * @param percent the share of the table's pages sampled, in percent
 * @param leafTuple average leaf tuple size, MAXALIGNed
 * @param keyTuple average size of the key part alone (a separator key)
 * @param nonNullLeafTuple average leaf tuple of the entries whose keys have no NULL (0 when none)
 * @param nullLeafTuple average leaf tuple of the entries with a NULL key (0 when none)
 * @param distinctKeys distinct key combinations among the entries, for an index of several key columns
 *        (Haas and Stokes' estimator from the sample, as ANALYZE uses), else null
 */
record EntrySample(int sampledRows, int entries, double percent, double leafTuple, double keyTuple,
        double nonNullLeafTuple, double nullLeafTuple, DistinctKeys distinctKeys) {

    /** What a sample says of distinct values: {@code seen} in {@code sampled}, {@code once} of them once. */
    record DistinctKeys(long sampled, long seen, long once) {

        /** Haas and Stokes' Duj1 estimate of the distinct values among {@code total}. */
        double among(double total) {
            if (sampled == 0) {
                return 0;
            }
            if (sampled >= total || once == sampled) {
                return once == sampled && sampled < total ? total : seen;
            }
            double estimate = sampled * (double) seen / (sampled - once + once * sampled / total);
            return Math.max(seen, Math.min(total, estimate));
        }
    }

    static final int TARGET_ROWS = 20_000;
    private static final int MAX_ROWS = 100_000;

    static EntrySample take(CatalogReader catalog, IndexStorage index, double expectedRows) throws SQLException {
        double percent = expectedRows <= TARGET_ROWS ? 100 : Math.max(0.0001, 100.0 * TARGET_ROWS / expectedRows);
        List<StoredColumn> columns = index.columns();
        String matches = index.predicate() == null ? "true" : "(" + index.predicate() + ") IS TRUE";
        StringBuilder sql = new StringBuilder("SELECT ").append(matches);
        for (StoredColumn column : columns) {
            sql.append(", CASE WHEN ").append(matches).append(" THEN pg_column_size((").append(column.expression())
                    .append(")) END");
        }
        boolean severalKeys = index.keyColumns().size() > 1;
        if (severalKeys) {
            sql.append(", CASE WHEN ").append(matches).append(" THEN hashtextextended(ROW(")
                    .append(String.join(", ", index.keyColumns().stream().map(c -> "(" + c.expression() + ")")
                            .toList())).append(")::text, 0) END");
        }
        sql.append(" FROM ONLY ").append(index.table().sql()).append(percent >= 100 ? ""
                : " TABLESAMPLE SYSTEM (" + String.format(Locale.ROOT, "%.6f", percent) + ") REPEATABLE (7)")
                .append(" LIMIT ").append(MAX_ROWS);
        return catalog.rolledBack(statement -> {
            statement.execute("SET LOCAL statement_timeout = '30s'");
            statement.execute("SET TRANSACTION READ ONLY");
            int rows = 0;
            int entries = 0;
            double leaf = 0;
            double key = 0;
            double nonNull = 0;
            int nonNullEntries = 0;
            java.util.Map<Long, Integer> keys = new java.util.HashMap<>();
            try (ResultSet sampled = statement.executeQuery(sql.toString())) {
                Integer[] sizes = new Integer[columns.size()];
                while (sampled.next()) {
                    rows++;
                    if (!sampled.getBoolean(1)) {
                        continue;
                    }
                    entries++;
                    for (int i = 0; i < sizes.length; i++) {
                        int size = sampled.getInt(i + 2);
                        sizes[i] = sampled.wasNull() ? null : size;
                    }
                    long tuple = tupleSize(columns, sizes, false);
                    leaf += tuple;
                    key += tupleSize(columns, sizes, true);
                    boolean nullKey = false;
                    for (int i = 0; i < sizes.length; i++) {
                        nullKey |= sizes[i] == null && columns.get(i).key();
                    }
                    if (!nullKey) {
                        nonNull += tuple;
                        nonNullEntries++;
                    }
                    if (severalKeys) {
                        keys.merge(sampled.getLong(columns.size() + 2), 1, Integer::sum);
                    }
                }
            }
            int nullEntries = entries - nonNullEntries;
            DistinctKeys distinct = severalKeys ? new DistinctKeys(entries, keys.size(),
                    keys.values().stream().filter(c -> c == 1).count()) : null;
            return new EntrySample(rows, entries, percent, entries == 0 ? 0 : leaf / entries,
                    entries == 0 ? 0 : key / entries, nonNullEntries == 0 ? 0 : nonNull / nonNullEntries,
                    nullEntries == 0 ? 0 : (leaf - nonNull) / nullEntries, distinct);
        });
    }

    /** An index tuple of these values (null: NULL): header, null bitmap when any is NULL, aligned data. */
    static long tupleSize(List<StoredColumn> columns, Integer[] sizes, boolean keysOnly) {
        boolean anyNull = false;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == null && (!keysOnly || columns.get(i).key())) {
                anyNull = true;
            }
        }
        double offset = anyNull ? 16 : 8;
        for (int i = 0; i < sizes.length; i++) {
            StoredColumn column = columns.get(i);
            if (sizes[i] != null && (!keysOnly || column.key())) {
                offset = TupleLayout.place(offset, column.layout(), sizes[i], column.computed());
            }
        }
        return TupleLayout.align((long) Math.ceil(offset), 8);
    }
}

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
 */
record EntrySample(int sampledRows, int entries, double percent, double leafTuple, double keyTuple) {

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
                    leaf += tupleSize(columns, sizes, false);
                    key += tupleSize(columns, sizes, true);
                }
            }
            return new EntrySample(rows, entries, percent, entries == 0 ? 0 : leaf / entries,
                    entries == 0 ? 0 : key / entries);
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

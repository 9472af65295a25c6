package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StoredColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

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
        TableSample sample = TableSample.of(expectedRows, TARGET_ROWS);
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
        String from = sample.from(index.table());
        sql.append(from).append(" LIMIT ").append(MAX_ROWS);
        List<Integer[]> sampled = new java.util.ArrayList<>();
        java.util.Map<Long, Integer> keys = new java.util.HashMap<>();
        int rows = catalog.rolledBack(statement -> {
            statement.execute("SET LOCAL statement_timeout = '30s'");
            statement.execute("SET TRANSACTION READ ONLY");
            int read = 0;
            try (ResultSet found = statement.executeQuery(sql.toString())) {
                while (found.next()) {
                    read++;
                    if (!found.getBoolean(1)) {
                        continue;
                    }
                    Integer[] sizes = new Integer[columns.size()];
                    for (int i = 0; i < sizes.length; i++) {
                        int size = found.getInt(i + 2);
                        sizes[i] = found.wasNull() ? null : size;
                    }
                    sampled.add(sizes);
                    if (severalKeys) {
                        keys.merge(found.getLong(columns.size() + 2), 1, Integer::sum);
                    }
                }
            }
            return read;
        });
        compressWide(catalog, columns, sampled, from, matches);
        int entries = sampled.size();
        double leaf = 0;
        double key = 0;
        double nonNull = 0;
        int nonNullEntries = 0;
        for (Integer[] sizes : sampled) {
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
        }
        int nullEntries = entries - nonNullEntries;
        DistinctKeys distinct = severalKeys ? new DistinctKeys(entries, keys.size(),
                keys.values().stream().filter(c -> c == 1).count()) : null;
        return new EntrySample(rows, entries, sample.percent(), entries == 0 ? 0 : leaf / entries,
                entries == 0 ? 0 : key / entries, nonNullEntries == 0 ? 0 : nonNull / nonNullEntries,
                nullEntries == 0 ? 0 : (leaf - nonNull) / nullEntries, distinct);
    }

    /** index_form_tuple compresses a value wider than this (TOAST_INDEX_TARGET, MaxHeapTupleSize / 16). */
    static final int INDEX_COMPRESSION_THRESHOLD = 8160 / 16;

    /**
     * An index compresses values wider than {@link #INDEX_COMPRESSION_THRESHOLD} that a table stores whole
     * (it compresses only rows over 2 kB): how much, PostgreSQL says, by storing a sample of them in a
     * temporary table beside 2 kB of padding it may not compress, so the toaster compresses them; the
     * sampled sizes are scaled by it. Without
     * a temporary table (a standby, a read-only role), they stay as they are: the estimate leans high.
     */
    private static void compressWide(CatalogReader catalog, List<StoredColumn> columns, List<Integer[]> sampled,
            String from, String matches) {
        for (int i = 0; i < columns.size(); i++) {
            StoredColumn column = columns.get(i);
            int at = i;
            boolean wide = column.layout().compressible() && sampled.stream()
                    .anyMatch(sizes -> sizes[at] != null && sizes[at] > INDEX_COMPRESSION_THRESHOLD);
            if (!wide || column.type() == null) {
                continue;
            }
            double ratio;
            try {
                ratio = catalog.rolledBack(statement -> {
                    statement.execute("SET LOCAL statement_timeout = '30s'");
                    statement.execute("CREATE TEMP TABLE zerolock_compression (v " + column.type() + ", raw int, "
                            + "pad text)");
                    statement.execute("ALTER TABLE pg_temp.zerolock_compression ALTER COLUMN pad SET STORAGE PLAIN");
                    statement.execute("INSERT INTO pg_temp.zerolock_compression SELECT v, pg_column_size(v), "
                            + "repeat(' ', 2100) FROM "
                            + "(SELECT (" + column.expression() + ") AS v" + from + " WHERE " + matches + ") s "
                            + "WHERE pg_column_size(v) > " + INDEX_COMPRESSION_THRESHOLD + " LIMIT 2000");
                    try (ResultSet sums = statement.executeQuery("SELECT sum(pg_column_size(v))::float8 / "
                            + "nullif(sum(raw), 0) FROM pg_temp.zerolock_compression")) {
                        sums.next();
                        double found = sums.getDouble(1);
                        return sums.wasNull() ? 1.0 : Math.min(1.0, found);
                    }
                });
            } catch (SQLException e) {
                continue;
            }
            for (Integer[] sizes : sampled) {
                if (sizes[at] != null && sizes[at] > INDEX_COMPRESSION_THRESHOLD) {
                    sizes[at] = (int) Math.ceil(sizes[at] * ratio);
                }
            }
        }
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

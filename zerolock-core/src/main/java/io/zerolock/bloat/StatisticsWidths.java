package io.zerolock.bloat;

import io.zerolock.catalog.ColumnStatistics;
import io.zerolock.catalog.StoredColumn;
import java.util.List;
import java.util.Optional;

/**
 * Average tuple sizes from pg_stats alone (average widths and NULL shares), for when no sample can be read:
 * the way the well-known bloat queries work, with PostgreSQL's alignment and short varlena headers applied.
 */
final class StatisticsWidths {

    /** The expected padding after variable-width data, whose end falls anywhere in an 8-byte word. */
    private static final double EXPECTED_PADDING = 3.5;

    private StatisticsWidths() {}

    /** An index tuple (header, null bitmap when some value is NULL, data), empty when a column has no statistics. */
    static Optional<Double> indexTuple(List<StoredColumn> columns, boolean keysOnly) {
        List<StoredColumn> used = keysOnly ? columns.stream().filter(StoredColumn::key).toList() : columns;
        return tuple(used, 8, 16);
    }

    /** A heap tuple (23-byte header and null bitmap, MAXALIGNed, then the data). */
    static Optional<Double> heapTuple(List<StoredColumn> columns) {
        return tuple(columns, 24, TupleLayout.align(23 + (columns.size() + 7) / 8, 8));
    }

    private static Optional<Double> tuple(List<StoredColumn> columns, double header, double headerWithNulls) {
        if (columns.stream().anyMatch(c -> c.statistics().isEmpty())) {
            return Optional.empty();
        }
        double noNulls = 1;
        boolean fixedOnly = true;
        for (StoredColumn column : columns) {
            ColumnStatistics statistics = column.statistics().get();
            noNulls *= 1 - statistics.nullFraction();
            fixedOnly &= column.layout().typlen() > 0 || statistics.nullFraction() >= 1;
        }
        double offset = header + (1 - noNulls) * (headerWithNulls - header);
        for (StoredColumn column : columns) {
            ColumnStatistics statistics = column.statistics().get();
            double next = TupleLayout.place(offset, column.layout(), statistics.averageWidth(), column.computed());
            offset += (1 - statistics.nullFraction()) * (next - offset);
        }
        return Optional.of(fixedOnly ? TupleLayout.align(offset, 8) : offset + EXPECTED_PADDING);
    }
}

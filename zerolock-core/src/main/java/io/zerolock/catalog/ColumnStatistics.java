package io.zerolock.catalog;

import java.util.List;

/**
 * What ANALYZE found of one column (or index expression), from {@code pg_stats}.
 *
 * @param nullFraction share of rows that are NULL
 * @param averageWidth average stored width of the non-NULL values, in bytes
 * @param distinct {@code n_distinct}: a count when positive, minus a share of the rows when negative
 * @param commonFrequencies {@code most_common_freqs}: the share of all rows each frequent value has
 */
public record ColumnStatistics(double nullFraction, double averageWidth, double distinct,
        List<Double> commonFrequencies) {

    public ColumnStatistics {
        commonFrequencies = List.copyOf(commonFrequencies);
    }

    /** Distinct values among {@code rows} rows. */
    public double distinctAmong(double rows) {
        return distinct >= 0 ? Math.min(distinct, rows) : -distinct * rows;
    }
}

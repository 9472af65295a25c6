package io.zerolock.catalog;

import java.util.Optional;

/**
 * One column of an index or table, as the space it takes needs it.
 *
 * @param position 1-based attribute number in the relation
 * @param key for an index, a key column (not INCLUDE)
 * @param expression SQL that computes the value from a table row: the quoted column name, or the index
 *        expression as PostgreSQL prints it
 * @param computed the value is an expression's result, not a stored column
 * @param equalImage the column's operator class says equal values are bitwise equal (btree deduplication)
 * @param statistics from pg_stats; empty when the column was never analyzed or the role may not read them
 * @param type the type as SQL writes it ({@code format_type}), for an index column; null for a table's
 */
public record StoredColumn(int position, boolean key, String expression, boolean computed, TypeLayout layout,
        boolean equalImage, String operatorClass, Optional<ColumnStatistics> statistics, String type) {}

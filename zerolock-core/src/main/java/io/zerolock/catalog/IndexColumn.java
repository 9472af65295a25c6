package io.zerolock.catalog;

/**
 * One column of an index.
 *
 * @param position 1-based position in the index
 * @param name the index attribute's name ({@code expr} style for expressions)
 * @param definition the column name or expression as {@code pg_get_indexdef(index, position, true)} shows it
 * @param key a key column (false: an INCLUDE column)
 * @param expression an expression rather than a table column
 * @param operatorClass non-null for key columns
 * @param collation null when the column has none
 * @param statisticsTarget the per-column statistics target, null when the default
 */
public record IndexColumn(int position, String name, String definition, boolean key, boolean expression,
        String operatorClass, String collation, boolean descending, boolean nullsFirst, Integer statisticsTarget) {}

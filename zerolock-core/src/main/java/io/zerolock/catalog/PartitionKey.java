package io.zerolock.catalog;

/**
 * A partitioned table's key when it is one plain column.
 *
 * @param strategy {@code r} range, {@code l} list, {@code h} hash ({@code pg_partitioned_table.partstrat})
 * @param column the key column, quoted
 */
public record PartitionKey(String strategy, String column) {}

package io.zerolock.catalog;

import java.util.Optional;

/**
 * What PostgreSQL will prove when a table is attached to a partitioned table with a given bound, in its
 * own words, so a validated CHECK can prove it first (and the ATTACH then skips its scan).
 *
 * @param constraint the partition constraint the attached table must satisfy, ancestors' included, as
 *     {@code pg_get_partition_constraintdef} states it, written in the partition's column names
 * @param defaultPartition the parent's DEFAULT partition, if it has one and the bound is not DEFAULT:
 *     PostgreSQL proves that none of its rows belong to the new partition (a scan under ACCESS EXCLUSIVE
 *     on it), unless a validated {@code CHECK (NOT (constraint))} on it says so
 */
public record PartitionBound(String constraint, Optional<QualifiedName> defaultPartition) {}

package io.zerolock.catalog;

import java.util.Objects;

/**
 * A table's column, as the catalog has it: what a change of its type must carry over to the new column.
 *
 * @param type {@code format_type(atttypid, atttypmod)}
 * @param defaultExpression {@code pg_get_expr} of its default, or null
 * @param identity {@code a} (ALWAYS), {@code d} (BY DEFAULT) or empty
 * @param generated {@code s} for a stored generated column, else empty
 * @param collation its collation, quoted and qualified, when not its type's default; else null
 * @param sequence the sequence it owns (serial or identity), quoted and qualified, or null
 * @param sequenceType that sequence's data type ({@code smallint}, {@code integer}, {@code bigint}), or null
 * @param statisticsTarget its {@code SET STATISTICS} when set, else null
 * @param privileges whether privileges are granted on the column itself ({@code attacl})
 * @param comment null when none
 */
public record ColumnDefinition(long tableOid, QualifiedName table, RelationKind tableKind, String name, int number,
        String type, boolean notNull, String defaultExpression, String identity, String generated, String collation,
        String sequence, String sequenceType, Integer statisticsTarget, boolean privileges, String comment) {

    public ColumnDefinition {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        identity = identity == null ? "" : identity;
        generated = generated == null ? "" : generated;
    }

    public boolean isIdentity() {
        return !identity.isEmpty();
    }
}

package io.zerolock.altertype;

import io.zerolock.catalog.ColumnDefinition;
import io.zerolock.catalog.ColumnDependent;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import java.util.List;
import java.util.Objects;

/**
 * Everything a column's type change must carry over, read from the catalog before anything changes.
 *
 * @param newType the type asked for, as written
 * @param using the {@code USING} expression as written (in the table's column names), or null: a plain cast
 * @param rewrites whether a plain {@code ALTER COLUMN ... TYPE} would rewrite the table (PostgreSQL's rule)
 * @param key the table's single-column integer primary key, quoted, to backfill in ranges of; null if none
 * @param indexes every index that contains the column (in its keys, INCLUDE, expressions or predicate)
 * @param constraints the constraints of the table that use the column (primary key, unique, check,
 *     foreign key, exclusion)
 * @param referencing foreign keys of other tables that reference the column
 * @param others what else depends on it: views, triggers, policies, statistics, generated columns,
 *     publications (each refuses the change)
 * @param retiredTaken whether a column has the name the old column would be kept under already
 * @param cascaded the referencing columns that change with it ({@code --cascade}), each a target of its own
 */
public record TypeChangeTarget(ColumnDefinition column, String newType, String using, boolean rewrites, String key,
        List<IndexDefinition> indexes, List<Constraint> constraints, List<ForeignKey> referencing,
        List<ColumnDependent> others, boolean retiredTaken, boolean inheritance,
        List<TypeChangeTarget> cascaded) {

    public TypeChangeTarget {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(newType, "newType");
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
        referencing = List.copyOf(referencing);
        others = List.copyOf(others);
        cascaded = List.copyOf(cascaded);
    }

    /** This change, then each referencing column that changes with it. */
    public List<TypeChangeTarget> withCascaded() {
        List<TypeChangeTarget> all = new java.util.ArrayList<>(List.of(this));
        all.addAll(cascaded);
        return all;
    }

    /** The name the old column is kept under after the swap. */
    public String retiredName() {
        return TypeChangePlanner.retiredName(column.name());
    }

    /** How the operation is named in the journal and to people: {@code schema.table.column}. */
    public String display() {
        return column.table().display() + "." + io.zerolock.catalog.Identifiers.display(column.name());
    }
}

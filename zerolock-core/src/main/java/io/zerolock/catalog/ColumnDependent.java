package io.zerolock.catalog;

import java.util.Objects;

/**
 * Something that depends on a column ({@code pg_depend}): what changing the column's type must carry over,
 * or refuse.
 *
 * @param oid the dependent object's OID (an index's, a constraint's, a view's relation...)
 * @param name how to name it to a person
 */
public record ColumnDependent(Kind kind, long oid, String name) {

    public enum Kind {
        INDEX, CONSTRAINT, VIEW, TRIGGER, POLICY, STATISTICS, GENERATED_COLUMN, PUBLICATION, OTHER
    }

    public ColumnDependent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}

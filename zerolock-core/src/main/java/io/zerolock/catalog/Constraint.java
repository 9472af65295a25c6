package io.zerolock.catalog;

import java.util.Objects;

/**
 * A constraint of a table.
 *
 * @param definition {@code pg_get_constraintdef(oid)}
 * @param indexOid the index enforcing a PK/UNIQUE/EXCLUDE constraint (or referenced by a FK), else 0
 * @param parentOid the constraint of the partitioned parent this one was cloned from, or 0
 */
public record Constraint(long oid, String name, long tableOid, QualifiedName table, ConstraintType type,
        String definition, boolean deferrable, boolean initiallyDeferred, boolean validated, long indexOid,
        long parentOid, String comment) {

    public Constraint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public boolean isInherited() {
        return parentOid != 0;
    }
}

package io.zerolock.catalog;

import java.util.Objects;

/** A schema-qualified relation name, exactly as stored in the catalog (no quotes, no case folding). */
public record QualifiedName(String schema, String name) implements Comparable<QualifiedName> {

    public QualifiedName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(schema, name);
    }

    /** {@code "schema"."name"}, for SQL that zerolock generates. */
    public String sql() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /** {@code schema.name} quoted only where needed, for humans and logs. */
    public String display() {
        return Identifiers.display(schema) + "." + Identifiers.display(name);
    }

    @Override
    public int compareTo(QualifiedName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return display();
    }
}

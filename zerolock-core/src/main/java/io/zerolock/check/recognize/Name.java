package io.zerolock.check.recognize;

import io.zerolock.catalog.Identifiers;
import java.util.List;

/** A possibly qualified name as written in a migration, each part folded as PostgreSQL folds it. */
public record Name(List<String> parts) {

    public Name {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
    }

    /** The last part: the object's own name. */
    public String object() {
        return parts.get(parts.size() - 1);
    }

    /** The schema when qualified, else null (the search_path decides). */
    public String schema() {
        return parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
    }

    /** Whether the two names may denote the same object (an unqualified one matches any schema). */
    public boolean sameAs(Name other) {
        return object().equals(other.object())
                && (schema() == null || other.schema() == null || schema().equals(other.schema()));
    }

    @Override
    public String toString() {
        return String.join(".", parts.stream().map(Identifiers::display).toList());
    }
}

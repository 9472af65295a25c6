package io.zerolock.queue;

import java.util.Locale;

/** What a queued item does; the queue table stores {@link #id()}. */
public enum ItemKind {
    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY}: done when a valid index of that name has that definition. */
    CREATE_INDEX,
    /** {@code DROP INDEX CONCURRENTLY}: done when no index of that name is left. */
    DROP_INDEX,
    /** {@code ALTER TABLE ... VALIDATE CONSTRAINT} of a constraint added NOT VALID: done when it is validated. */
    VALIDATE_CONSTRAINT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ItemKind of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}

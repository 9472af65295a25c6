package io.zerolock.queue;

import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.QualifiedName;
import java.time.Instant;
import java.util.Objects;

/**
 * One item of the async queue, as its table holds it.
 *
 * @param name the index's name (schema-qualified) or, for a validation, the constraint's name in the table's
 *     schema
 * @param definition the SQL the queue runs, normalised (every name quoted and qualified)
 * @param signature what identity compares: an index's definition without its name and table, or a
 *     constraint's {@code pg_get_constraintdef}
 */
public record QueueItem(long id, ItemKind kind, QualifiedName name, QualifiedName table, String definition,
        String signature, Progress progress, Times times) {

    public QueueItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(times, "times");
    }

    /**
     * @param attempts runs started (a run killed midway counts)
     * @param maxAttempts after this many failed runs it is {@link ItemState#FAILED}
     */
    public record Progress(ItemState state, int attempts, int maxAttempts, String lastError) {}

    /**
     * @param notBefore after a failure, no run before this time (the backoff); null: any time
     */
    public record Times(Instant queuedAt, String queuedBy, Instant updatedAt, Instant notBefore, Instant startedAt,
            Instant finishedAt) {}

    public ItemState state() {
        return progress.state();
    }

    /** How people name it: the index's name, or the constraint's, as SQL would write it. */
    public String displayName() {
        return Identifiers.display(name.name());
    }

    /** The unambiguous name: {@code schema.index}, or {@code schema.table.constraint}. */
    public String qualifiedName() {
        return kind == ItemKind.VALIDATE_CONSTRAINT ? table.display() + "." + Identifiers.display(name.name())
                : name.display();
    }

    /** Whether {@code written} (a number, a name, or a qualified name) denotes this item. */
    boolean answersTo(String written) {
        return written.equals(String.valueOf(id)) || written.equals(displayName()) || written.equals(name.name())
                || written.equals(qualifiedName()) || written.equals(name.display());
    }
}

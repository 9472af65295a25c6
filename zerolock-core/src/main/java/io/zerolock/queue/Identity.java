package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.QualifiedName;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether the database already has what an item asks for, judged by definition, never by name alone: an
 * index is there when a valid index of that name, on that table, has that definition; a constraint is
 * validated when the constraint of that name still has the definition it was queued with.
 */
final class Identity {

    enum Found {
        /** The database has it: nothing to do. */
        DONE,
        /** Not there yet (or, for a drop, still there): the run does it. */
        TO_DO,
        /** An invalid index of that name (a failed build): dropped concurrently, then built again. */
        INVALID,
        /** Something else has that name: the queue never touches it, and the item fails saying so. */
        CONFLICT
    }

    /** @param why for a conflict, what is there instead, with both definitions */
    record Verdict(Found found, String why, long oid) {}

    private Identity() {}

    static Verdict of(CatalogReader catalog, QueueItem item) {
        try {
            return switch (item.kind()) {
                case CREATE_INDEX -> created(catalog, item);
                case DROP_INDEX -> dropped(catalog, item);
                case VALIDATE_CONSTRAINT -> validated(catalog, item);
            };
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "could not compare " + item.qualifiedName()
                    + " with the catalog: " + e.getMessage(), e);
        }
    }

    private static Verdict created(CatalogReader catalog, QueueItem item) throws SQLException {
        return index(catalog, item.name(), item.table(), item.signature());
    }

    /**
     * Whether the index {@code name}, on {@code table}, of this signature is there: done (valid, that definition),
     * to do (no such name), invalid (a failed build's), or a conflict (another relation, or another definition).
     */
    static Verdict index(CatalogReader catalog, QualifiedName name, QualifiedName table, String signature)
            throws SQLException {
        Optional<Definitions.FoundIndex> index = Definitions.index(catalog, name.schema(), name.name());
        if (index.isEmpty()) {
            Optional<Long> other = catalog.relationOid(name);
            return other.isPresent() ? new Verdict(Found.CONFLICT, "a relation that is not an index is named "
                    + name.display(), other.get()) : new Verdict(Found.TO_DO, null, 0);
        }
        Definitions.FoundIndex found = index.get();
        if (!found.valid()) {
            return new Verdict(Found.INVALID, null, found.oid());
        }
        if (!found.table().equals(table) || !found.signature().equals(signature)) {
            return new Verdict(Found.CONFLICT, "a valid index named " + name.display() + " exists with "
                    + "another definition: it is ON " + found.table().display() + " " + found.signature()
                    + "; the queued one is ON " + table.display() + " " + signature
                    + ". The queue never drops a valid index: rename one of them", found.oid());
        }
        return new Verdict(Found.DONE, null, found.oid());
    }

    private static Verdict dropped(CatalogReader catalog, QueueItem item) throws SQLException {
        Optional<Definitions.FoundIndex> index = Definitions.index(catalog, item.name().schema(), item.name().name());
        if (index.isEmpty()) {
            return new Verdict(Found.DONE, null, 0);
        }
        Definitions.FoundIndex found = index.get();
        if (!found.signature().equals(item.signature()) || !found.table().equals(item.table())) {
            return new Verdict(Found.CONFLICT, "the index named " + item.name().display() + " is not the one queued "
                    + "for dropping: it is ON " + found.table().display() + " " + found.signature()
                    + "; the queued one was ON " + item.table().display() + " " + item.signature()
                    + ". Remove the item and queue the drop again if this one should go", found.oid());
        }
        return new Verdict(Found.TO_DO, null, found.oid());
    }

    private static Verdict validated(CatalogReader catalog, QueueItem item) throws SQLException {
        Optional<Long> table = catalog.relationOid(item.table());
        Optional<Definitions.FoundConstraint> constraint = table.isEmpty() ? Optional.empty()
                : Definitions.constraint(catalog, table.get(), item.name().name());
        if (constraint.isEmpty()) {
            return new Verdict(Found.CONFLICT, "there is no constraint " + item.displayName() + " on "
                    + item.table().display() + " any more", 0);
        }
        Definitions.FoundConstraint found = constraint.get();
        if (!found.definition().equals(item.signature())) {
            return new Verdict(Found.CONFLICT, "the constraint " + item.displayName() + " on " + item.table().display()
                    + " is now " + found.definition() + "; it was queued as " + item.signature(), found.oid());
        }
        return new Verdict(found.validated() ? Found.DONE : Found.TO_DO, null, found.oid());
    }
}

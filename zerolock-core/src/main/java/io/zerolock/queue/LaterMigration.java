package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.check.lex.Splitter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The migration that creates "for real" what the queue built: before apply runs a {@code CREATE INDEX}, is an
 * index of that name and exactly that definition there and valid already (nothing to run)? Is it an item the
 * queue has not finished (apply builds it now, or refuses with {@code --require-queued})? Likewise for a
 * {@code VALIDATE CONSTRAINT} of a constraint validated already.
 */
public final class LaterMigration {

    public enum Found {
        /** The database has it, valid and of this definition: the statement is skipped. */
        THERE,
        /** It is not there (yet): the statement runs; {@link Check#item()} is the queue's item for it, if any. */
        TO_RUN
    }

    /**
     * @param why for {@link Found#THERE}, what is there, said in a line
     * @param item the queue's unfinished item of this name and definition, or null
     */
    public record Check(Found found, String why, QueueItem item) {

        static Check toRun(QueueItem item) {
            return new Check(Found.TO_RUN, null, item);
        }
    }

    private LaterMigration() {}

    /**
     * What the database and the queue have for this statement ({@code CREATE INDEX} or {@code ALTER TABLE ...
     * VALIDATE CONSTRAINT}, as apply will run it); any other statement is {@link Found#TO_RUN}. Reads only.
     */
    public static Check of(CatalogReader catalog, String stateSchema, String sql) {
        Splitter.Result split = Splitter.split("statement", sql);
        if (split.statements().size() != 1) {
            return Check.toRun(null);
        }
        Optional<Queueable> read;
        try {
            read = Queueable.read(split.statements().get(0), sql);
        } catch (QueueRefused notOne) {
            return Check.toRun(null);
        }
        try {
            if (read.isPresent() && read.get() instanceof Queueable.CreateIndex create && create.index().size() == 1) {
                return created(catalog, stateSchema, create);
            }
            if (read.isPresent() && read.get() instanceof Queueable.Validate validate) {
                return validated(catalog, stateSchema, validate);
            }
        } catch (SQLException e) {
            return Check.toRun(null); // the statement itself will say what PostgreSQL thinks of it
        }
        return Check.toRun(null);
    }

    private static Check created(CatalogReader catalog, String stateSchema, Queueable.CreateIndex create)
            throws SQLException {
        Optional<QualifiedName> table = catalog.relationNamed(written(create.table()));
        if (table.isEmpty()) {
            return Check.toRun(null); // made earlier in the same migration
        }
        QualifiedName name = QualifiedName.of(table.get().schema(), create.index().get(0));
        Optional<QueueItem> item = queued(catalog, stateSchema, ItemKind.CREATE_INDEX, name, table.get());
        if (catalog.relationOid(name).isEmpty() && item.isEmpty()) {
            return Check.toRun(null); // nothing of that name, nothing queued: no probe needed (the common case)
        }
        Definitions.Probed probed = Definitions.probe(catalog, table.get(), create.unique(), create.tail());
        if (Identity.index(catalog, name, table.get(), probed.signature()).found() == Identity.Found.DONE) {
            return new Check(Found.THERE, "a valid index " + name.display() + " with exactly this definition exists"
                    + item.map(queued -> " (built from the async queue, item " + queued.id() + ")").orElse(""), null);
        }
        return Check.toRun(item.filter(queued -> queued.signature().equals(probed.signature())
                && queued.state() != ItemState.DONE).orElse(null));
    }

    private static Check validated(CatalogReader catalog, String stateSchema, Queueable.Validate validate)
            throws SQLException {
        Optional<QualifiedName> table = catalog.relationNamed(written(validate.table()));
        Optional<Long> oid = table.flatMap(catalog::relationOid);
        if (oid.isEmpty()) {
            return Check.toRun(null);
        }
        Optional<Definitions.FoundConstraint> constraint = Definitions.constraint(catalog, oid.get(),
                validate.constraint());
        QualifiedName name = QualifiedName.of(table.get().schema(), validate.constraint());
        Optional<QueueItem> item = queued(catalog, stateSchema, ItemKind.VALIDATE_CONSTRAINT, name, table.get());
        if (constraint.isPresent() && constraint.get().validated()) {
            return new Check(Found.THERE, "the constraint " + Identifiers.display(validate.constraint()) + " on "
                    + table.get().display() + " is validated already" + item.map(queued -> " (by the async queue, "
                            + "item " + queued.id() + ")").orElse(""), null);
        }
        return Check.toRun(item.filter(queued -> queued.state() != ItemState.DONE).orElse(null));
    }

    /** The queue's item of this identity, when the state schema has a queue. */
    private static Optional<QueueItem> queued(CatalogReader catalog, String stateSchema, ItemKind kind,
            QualifiedName name, QualifiedName table) {
        if (stateSchema == null || !Queue.exists(catalog.connection(), stateSchema)) {
            return Optional.empty();
        }
        return new QueueStore(catalog.connection(), Identifiers.quote(stateSchema)).same(kind, name, table);
    }

    /**
     * While apply builds an item the queue has not finished: holds the item's lock on {@code holder} (an idle
     * connection), so no worker starts the same build meanwhile; waits, up to {@code wait}, for a worker that is
     * building it now. Closing it marks the item done when the database has it, and lets the lock go.
     */
    public static AutoCloseable claim(Connection holder, String stateSchema, QueueItem item, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!QueueStore.lock(holder, item.id())) {
            if (System.nanoTime() > deadline) {
                throw new ZerolockException(ErrorCode.OPERATION_FAILED, "a zerolock worker is running the queued "
                        + item.qualifiedName() + " now and did not finish within " + wait.toSeconds() + " s: run apply "
                        + "again once it has (zerolock queue status --require " + item.qualifiedName() + ")");
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZerolockException(ErrorCode.INTERRUPTED, "interrupted while waiting for the queue's build "
                        + "of " + item.qualifiedName());
            }
        }
        QueueStore store = new QueueStore(holder, Identifiers.quote(stateSchema));
        return () -> {
            try {
                CatalogReader catalog = new CatalogReader(holder);
                if (Identity.of(catalog, item).found() == Identity.Found.DONE) {
                    store.ended(item.id(), ItemState.DONE, null, null);
                }
            } finally {
                QueueStore.unlock(holder, item.id());
            }
        };
    }

    /** The queue's item again, as it is now (a worker may have finished it while apply waited). */
    public static Optional<QueueItem> now(Connection connection, String stateSchema, QueueItem item) {
        return new QueueStore(connection, Identifiers.quote(stateSchema)).byId(item.id());
    }

    private static String written(List<String> parts) {
        return String.join(".", parts.stream().map(Identifiers::quote).toList());
    }
}

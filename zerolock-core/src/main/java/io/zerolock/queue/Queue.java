package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.RelationKind;
import io.zerolock.catalog.Table;
import io.zerolock.check.lex.Splitter;
import io.zerolock.connect.Connector;
import io.zerolock.journal.Journal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The async index queue of one database ({@code zerolock queue}): index builds, drops and constraint
 * validations recorded now and run later by the worker, in its window, through the gate. Every item is
 * checked when it is queued (PostgreSQL itself reads its definition, on an empty copy of the table) and known
 * by its definition, not its name alone.
 */
public final class Queue implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Queue.class);

    /** Runs a failing item gets before it is {@link ItemState#FAILED}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** What {@link #add} did with one statement. */
    public enum Added {
        /** A new item. */
        QUEUED,
        /** The same item (same definition) was queued already: nothing changed. */
        ALREADY_QUEUED,
        /** The database has it already: queued as done, so the later migration and status checks see it. */
        ALREADY_DONE
    }

    public record Addition(QueueItem item, Added added) {}

    /**
     * @param skipped statements of a file that are none of what the queue takes, each with where it is
     */
    public record AddResult(List<Addition> additions, List<String> skipped) {}

    private final CatalogReader catalog;
    private final Journal journal;
    private final QueueStore store;
    /** The database role items are queued as, for {@code queued_by}. */
    private final String role;
    /** Whether closing the queue closes the journal's connection (not when the caller lent it). */
    private final boolean ownsConnection;

    /**
     * Opens the queue of the database {@code catalog} reads (its state schema is created on first use).
     *
     * @param connector opens the connection the queue's state is written on
     */
    public Queue(Connector connector, CatalogReader catalog, String stateSchema) {
        this(catalog, Journal.openRequired(() -> connector.open("queue"), stateSchema,
                "the async queue keeps its items in the state schema"), connector.target().user(), true);
    }

    private Queue(CatalogReader catalog, Journal journal, String role, boolean ownsConnection) {
        this.catalog = catalog;
        this.journal = journal;
        this.store = new QueueStore(journal.connection(), journal.schema());
        this.role = role;
        this.ownsConnection = ownsConnection;
    }

    /**
     * The queue on a connection the caller owns (a migration tool's; autocommit, in no transaction), for adding
     * items from inside a migration run; closing the queue leaves the connection open.
     */
    public static Queue on(Connection connection, String stateSchema) {
        try {
            if (!connection.getAutoCommit()) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "the async queue needs a connection in autocommit "
                        + "mode (a migration that runs outside a transaction)");
            }
            return new Queue(new CatalogReader(connection), Journal.open(connection, stateSchema),
                    connection.getMetaData().getUserName(), false);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot use the connection for the async queue: "
                    + e.getMessage(), e);
        }
    }

    /** Whether this database has a queue in {@code stateSchema} (read-only: creates nothing). */
    public static boolean exists(Connection connection, String stateSchema) {
        return Journal.hasTable(connection, stateSchema, "queue");
    }

    /**
     * Queues every {@code CREATE INDEX}, {@code DROP INDEX} and {@code VALIDATE CONSTRAINT} of {@code sql} (one
     * statement, or a migration file's), all or none: one that cannot be queued refuses the lot.
     *
     * @param source the file's name, for messages; null for a statement given as text
     * @param hold queue them held, for {@code zerolock queue approve}
     */
    public AddResult add(String source, String sql, boolean hold, int maxAttempts) {
        requireAttempts(maxAttempts);
        Splitter.Result split = Splitter.split(source == null ? "statement" : source, sql);
        List<QueueStore.NewItem> fresh = new ArrayList<>();
        List<Addition> additions = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Splitter.Statement statement : split.statements()) {
            if (statement.body().isEmpty()) {
                continue;
            }
            Optional<Queueable> queueable = Queueable.read(statement, sql);
            if (queueable.isEmpty()) {
                skipped.add(statement.location() + ": " + String.join(" ", statement.body().stream().limit(3)
                        .map(io.zerolock.check.lex.Token::text).toList()) + " ... is not an index build, drop or "
                        + "constraint validation; not queued");
                continue;
            }
            QueueStore.NewItem item = prepare(queueable.get(), hold, maxAttempts);
            Optional<QueueItem> existing = store.same(item.kind(), item.name(), item.table());
            if (existing.isPresent()) {
                if (!existing.get().signature().equals(item.signature())) {
                    throw new QueueRefused(queueable.get().location() + ": " + existing.get().qualifiedName()
                            + " is queued already with another definition (item " + existing.get().id() + "): "
                            + existing.get().definition() + "; this one: " + item.definition()
                            + ". Remove the queued item first, or give this one another name");
                }
                additions.add(new Addition(existing.get(), Added.ALREADY_QUEUED));
                continue;
            }
            if (fresh.stream().anyMatch(other -> other.kind() == item.kind() && other.name().equals(item.name())
                    && other.table().equals(item.table()))) {
                throw new QueueRefused(queueable.get().location() + ": " + item.name().display() + " is named twice "
                        + "in what is queued");
            }
            fresh.add(item);
        }
        if (additions.isEmpty() && fresh.isEmpty()) {
            throw new QueueRefused("nothing to queue: " + (skipped.isEmpty() ? "no statement" : "no CREATE INDEX, "
                    + "DROP INDEX or ALTER TABLE ... VALIDATE CONSTRAINT") + " in " + (source == null ? "the statement"
                            : source));
        }
        for (QueueItem item : store.insert(fresh)) {
            Added added = item.state() == ItemState.DONE ? Added.ALREADY_DONE : Added.QUEUED;
            additions.add(new Addition(item, added));
            journal.event("queue", item.qualifiedName(), "add", item.definition() + " (" + item.state().id()
                    + ", queued by " + item.times().queuedBy() + ")");
            log.atInfo().setMessage(added == Added.ALREADY_DONE ? "the database has it already; queued as done"
                    : "queued").addKeyValue("item", item.qualifiedName()).addKeyValue("kind", item.kind().id())
                    .addKeyValue("state", item.state().id()).addKeyValue("definition", item.definition()).log();
        }
        additions.sort(java.util.Comparator.comparingLong(addition -> addition.item().id()));
        return new AddResult(additions, skipped);
    }

    /** Queues {@code DROP INDEX CONCURRENTLY} of this index (a name as typed, search path applied). */
    public AddResult dropIndex(String index, boolean hold, int maxAttempts) {
        return add(null, "DROP INDEX CONCURRENTLY " + index, hold, maxAttempts);
    }

    /** Queues the validation of a constraint added NOT VALID. */
    public AddResult validate(String table, String constraint, boolean hold, int maxAttempts) {
        return add(null, "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint, hold, maxAttempts);
    }

    /** Every item, oldest first. */
    public List<QueueItem> list() {
        return store.all();
    }

    /**
     * Lets a held item run, or a failed one run again (its attempts start over); one queued already is left as
     * it is.
     */
    public QueueItem approve(String written) {
        QueueItem item = find(written);
        if (item.state() == ItemState.QUEUED) {
            return item;
        }
        if (!store.move(item.id(), List.of(ItemState.HELD, ItemState.FAILED), ItemState.QUEUED,
                item.state() == ItemState.FAILED)) {
            throw new QueueRefused(item.qualifiedName() + " is " + item.state().id() + ": only a held or failed item "
                    + "can be approved");
        }
        return changed(item, "approve");
    }

    /** Keeps a queued (or failed) item from running until it is approved. */
    public QueueItem hold(String written) {
        QueueItem item = find(written);
        if (item.state() == ItemState.HELD) {
            return item;
        }
        if (!store.move(item.id(), List.of(ItemState.QUEUED, ItemState.FAILED), ItemState.HELD, false)) {
            throw new QueueRefused(item.qualifiedName() + " is " + item.state().id() + ": only a queued or failed "
                    + "item can be held");
        }
        return changed(item, "hold");
    }

    /** Takes an item out of the queue (not one that runs now); what the database has is left as it is. */
    public QueueItem remove(String written) {
        QueueItem item = find(written);
        if (item.state() == ItemState.RUNNING) {
            throw new QueueRefused(item.qualifiedName() + " is running: wait for it to end (or, if its run died, "
                    + "let the next zerolock worker --once pass repair it), then remove it");
        }
        store.delete(item.id());
        journal.event("queue", item.qualifiedName(), "remove", "was " + item.state().id() + ": " + item.definition());
        return item;
    }

    /**
     * Whether each of these items is done, checked against the catalog as it is now (an index queued, built, then
     * dropped by someone is not done): what a deploy pipeline asks before merging the migration that needs them.
     */
    public List<Requirement> require(List<String> names) {
        List<Requirement> requirements = new ArrayList<>();
        List<QueueItem> items = store.all();
        for (String written : names) {
            List<QueueItem> matching = items.stream().filter(item -> item.answersTo(written)).toList();
            if (matching.size() != 1) {
                requirements.add(new Requirement(written, null, false, matching.isEmpty() ? "no such item in the queue"
                        : "ambiguous: " + String.join(", ", matching.stream().map(QueueItem::qualifiedName).toList())));
                continue;
            }
            QueueItem item = matching.get(0);
            Identity.Verdict verdict = Identity.of(catalog, item);
            boolean done = item.state() == ItemState.DONE && verdict.found() == Identity.Found.DONE;
            String why = done ? "done" : item.state() == ItemState.DONE ? "done in the queue, but the database no longer "
                    + "has it" + (verdict.why() == null ? "" : ": " + verdict.why()) : item.state().id()
                            + (item.progress().lastError() == null ? "" : ": " + item.progress().lastError());
            requirements.add(new Requirement(written, item, done, why));
        }
        return requirements;
    }

    /** One name asked for by {@link #require}: its item (null when none), whether it is done, and why not. */
    public record Requirement(String name, QueueItem item, boolean done, String why) {}

    private QueueItem changed(QueueItem item, String action) {
        QueueItem now = store.byId(item.id()).orElseThrow();
        journal.event("queue", item.qualifiedName(), action, "was " + item.state().id() + ", now " + now.state().id());
        log.atInfo().setMessage(action).addKeyValue("item", item.qualifiedName()).addKeyValue("state",
                now.state().id()).log();
        return now;
    }

    /** The item a user names by id, name or qualified name. */
    QueueItem find(String written) {
        List<QueueItem> matching = store.all().stream().filter(item -> item.answersTo(written)).toList();
        if (matching.isEmpty()) {
            throw new ZerolockException(ErrorCode.NOT_FOUND, "no item " + written + " in the queue: zerolock queue "
                    + "list shows them");
        }
        if (matching.size() > 1) {
            throw new ZerolockException(ErrorCode.AMBIGUOUS_NAME, written + " names several items: "
                    + String.join(", ", matching.stream().map(item -> item.id() + " " + item.qualifiedName()).toList())
                    + "; name one by its number or qualified name");
        }
        return matching.get(0);
    }

    private QueueStore.NewItem prepare(Queueable queueable, boolean hold, int maxAttempts) {
        try {
            if (queueable instanceof Queueable.CreateIndex create) {
                return created(create, hold, maxAttempts);
            }
            if (queueable instanceof Queueable.DropIndex drop) {
                return dropped(drop, hold, maxAttempts);
            }
            return validated((Queueable.Validate) queueable, hold, maxAttempts);
        } catch (SQLException e) {
            throw new QueueRefused(queueable.location() + ": PostgreSQL refuses it: " + e.getMessage());
        }
    }

    private QueueStore.NewItem created(Queueable.CreateIndex create, boolean hold, int maxAttempts)
            throws SQLException {
        if (create.index().size() > 1) {
            throw new QueueRefused(create.location() + ": an index's name takes no schema: it is made in its table's");
        }
        Table table = table(create.location(), create.table());
        if (table.kind() == RelationKind.PARTITIONED_TABLE) {
            throw new QueueRefused(create.location() + ": " + table.name().display() + " is partitioned, and "
                    + "PostgreSQL cannot build an index concurrently on a partitioned table: queue the index of each "
                    + "partition, then run CREATE INDEX ON ONLY the parent and ALTER INDEX ... ATTACH PARTITION in a "
                    + "migration");
        }
        QualifiedName name = QualifiedName.of(table.name().schema(), create.index().get(0));
        Definitions.Probed probed = Definitions.probe(catalog, table.name(), create.unique(), create.tail());
        String definition = Definitions.createConcurrently(name, table.name(), probed.signature(),
                probed.tablespace());
        QueueStore.NewItem item = new QueueStore.NewItem(ItemKind.CREATE_INDEX, name, table.name(), definition,
                probed.signature(), hold ? ItemState.HELD : ItemState.QUEUED, maxAttempts, queuedBy());
        // as the database has it now: done already, refused as a conflict, or to build
        Identity.Verdict verdict = Identity.index(catalog, name, table.name(), probed.signature());
        return switch (verdict.found()) {
            case DONE -> done(item);
            case CONFLICT -> throw new QueueRefused(create.location() + ": " + verdict.why());
            case TO_DO, INVALID -> item;
        };
    }

    private QueueStore.NewItem dropped(Queueable.DropIndex drop, boolean hold, int maxAttempts) throws SQLException {
        Optional<QualifiedName> index = catalog.relationNamed(written(drop.index()));
        Optional<Definitions.FoundIndex> found = index.isEmpty() ? Optional.empty()
                : Definitions.index(catalog, index.get().schema(), index.get().name());
        if (found.isEmpty()) {
            throw new QueueRefused(drop.location() + ": there is no index " + shown(drop.index())
                    + (index.isPresent() ? " (it is not an index)" : ""));
        }
        if (catalog.constraintUsingIndex(found.get().oid()).isPresent()) {
            throw new QueueRefused(drop.location() + ": " + found.get().name().display() + " enforces a constraint: "
                    + "DROP INDEX cannot drop it; drop the constraint in a migration instead");
        }
        return new QueueStore.NewItem(ItemKind.DROP_INDEX, found.get().name(), found.get().table(),
                "DROP INDEX CONCURRENTLY IF EXISTS " + found.get().name().sql(), found.get().signature(),
                hold ? ItemState.HELD : ItemState.QUEUED, maxAttempts, queuedBy());
    }

    private QueueStore.NewItem validated(Queueable.Validate validate, boolean hold, int maxAttempts)
            throws SQLException {
        Table table = table(validate.location(), validate.table());
        Optional<Definitions.FoundConstraint> constraint = Definitions.constraint(catalog, table.oid(),
                validate.constraint());
        if (constraint.isEmpty()) {
            throw new QueueRefused(validate.location() + ": " + table.name().display() + " has no constraint "
                    + Identifiers.display(validate.constraint()) + ": add it NOT VALID in a migration first");
        }
        QualifiedName name = QualifiedName.of(table.name().schema(), validate.constraint());
        QueueStore.NewItem item = new QueueStore.NewItem(ItemKind.VALIDATE_CONSTRAINT, name, table.name(),
                "ALTER TABLE " + table.name().sql() + " VALIDATE CONSTRAINT " + Identifiers.quote(validate.constraint()),
                constraint.get().definition(), hold ? ItemState.HELD : ItemState.QUEUED, maxAttempts, queuedBy());
        return constraint.get().validated() ? done(item) : item;
    }

    private static QueueStore.NewItem done(QueueStore.NewItem item) {
        return new QueueStore.NewItem(item.kind(), item.name(), item.table(), item.definition(), item.signature(),
                ItemState.DONE, item.maxAttempts(), item.queuedBy());
    }

    private Table table(String location, List<String> written) {
        Optional<QualifiedName> name = catalog.relationNamed(written(written));
        Optional<Table> table = name.flatMap(catalog::relationOid).flatMap(catalog::table);
        if (table.isEmpty()) {
            throw new QueueRefused(location + ": there is no table " + shown(written) + (name.isPresent()
                    ? " (" + name.get().display() + " is not a table)" : ""));
        }
        if (table.get().systemCatalog() || table.get().persistence() == io.zerolock.catalog.Persistence.TEMPORARY) {
            throw new QueueRefused(location + ": " + table.get().name().display() + " is a system catalog or a "
                    + "temporary table; the queue builds on user tables");
        }
        return table.get();
    }

    private static String written(List<String> parts) {
        return String.join(".", parts.stream().map(Identifiers::quote).toList());
    }

    private static String shown(List<String> parts) {
        return String.join(".", parts.stream().map(Identifiers::display).toList());
    }

    /** Who asked: the operating-system user and host, and the database role. */
    private String queuedBy() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown host";
        }
        return System.getProperty("user.name") + "@" + host + " as " + role;
    }

    private static void requireAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "--max-attempts must be between 1 and 100, not "
                    + maxAttempts);
        }
    }

    /** The queue's store, for the runs of its items. */
    QueueStore store() {
        return store;
    }

    Journal journal() {
        return journal;
    }

    @Override
    public void close() {
        if (ownsConnection) {
            journal.close();
        }
    }
}

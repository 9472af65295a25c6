package io.zerolock.queue;

import io.zerolock.ErrorCode;
import io.zerolock.ProgressListener;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.Table;
import io.zerolock.connect.Connector;
import io.zerolock.execute.ConcurrentBuildGuards;
import io.zerolock.execute.Executor;
import io.zerolock.execute.FailedConcurrentBuild;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.OrphanedWork;
import io.zerolock.execute.Stop;
import io.zerolock.execute.TableLock;
import io.zerolock.execute.WatchedRun;
import io.zerolock.gate.Decision;
import io.zerolock.gate.Gate;
import io.zerolock.gate.Signal;
import io.zerolock.gate.Verdict;
import io.zerolock.journal.Journal;
import io.zerolock.maintain.RebuildTime;
import io.zerolock.maintain.Window;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import io.zerolock.reindex.ReindexOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued items through the engine: one at a time, each under its own advisory lock and its table's
 * (one action per table), planned as steps, journaled, watched (a build that waits on another session past
 * the watchdog's limit is cancelled and what it left is dropped), with attempts and backoff; an item the
 * database has already is marked done without running anything.
 */
public final class QueueRunner {

    private static final Logger log = LoggerFactory.getLogger(QueueRunner.class);
    /** The first wait after a failed run; it doubles with each further failure, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(5);
    static final Duration MAX_BACKOFF = Duration.ofHours(6);
    /**
     * Marks the queue's statements, so that a killed run's build can be told from the application's (and
     * stopped) by the next run.
     */
    static final String MARK = "/* zerolock queue */ ";
    /** A rough size of a new index per row of its table: a btree entry of a small key, with its page's share. */
    private static final long BYTES_PER_ROW = 40;

    /** How one item's run ended. */
    public enum Status {
        /** The database has it now (built, dropped, validated, or found there). */
        DONE,
        /** The run failed; the item runs again after its backoff. */
        RETRY,
        /** The run failed, or the item conflicts with what the database has: it runs no more until approved. */
        FAILED,
        /** Not started: another run has it or its table, the window, or the gate. */
        NOT_STARTED
    }

    public record Outcome(QueueItem item, Status status, String message, Duration took) {}

    private final Connector connector;
    private final CatalogReader catalog;
    private final Queue queue;
    private final ReindexOptions options;
    private final ProgressListener progress;
    private final Clock clock;

    public QueueRunner(Connector connector, CatalogReader catalog, Queue queue, ReindexOptions options,
            ProgressListener progress, Clock clock) {
        this.connector = connector;
        this.catalog = catalog;
        this.queue = queue;
        this.options = options;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * The worker's part: repairs what dead runs left, then runs the due items, oldest first, while the window
     * is open and the gate permits, each only if its predicted time fits in what is left of the window.
     *
     * @param window null: no window
     */
    public List<Outcome> runDue(Window window) {
        List<Outcome> outcomes = new ArrayList<>();
        QueueStore store = queue.store();
        List<QueueItem> candidates = new ArrayList<>(store.running()); // left by a dead run, or running elsewhere
        candidates.addAll(store.due());
        RebuildTime time = RebuildTime.from(catalog, options.stateSchema());
        Gate gate = new Gate(options.gate());
        for (QueueItem item : candidates) {
            if (Stop.requested() != null) {
                outcomes.add(notStarted(item, "stopped by " + Stop.requested()));
                continue;
            }
            Optional<Table> table = catalog.relationOid(item.table()).flatMap(catalog::table);
            long size = table.map(QueueRunner::sizeOf).orElse(0L);
            if (window != null) {
                Instant now = clock.instant();
                Optional<Instant> closes = window.closesAt(now);
                String why = null;
                Verdict verdict = Verdict.WAIT;
                if (closes.isEmpty()) {
                    why = "the window '" + window.text() + "' is closed; it opens next at " + window.nextOpening(now);
                } else {
                    Duration needed = time.predict(item.qualifiedName(), size);
                    Duration left = Duration.between(now, closes.get());
                    if (needed.compareTo(left) > 0) {
                        why = "it needs about " + needed.toSeconds() + " s, the window closes in " + left.toSeconds()
                                + " s";
                        verdict = Verdict.SKIP;
                    }
                }
                if (why != null) {
                    queue.journal().gateDecision("queue", item.qualifiedName(), new Decision(verdict,
                            List.of(new Signal("window", verdict, why))));
                    outcomes.add(notStarted(item, why));
                    continue;
                }
            }
            Decision decision = gate.check(catalog.connection(), new Gate.Request(table.map(Table::oid).orElse(null),
                    item.qualifiedName(), item.kind() == ItemKind.CREATE_INDEX ? size : 0));
            queue.journal().gateDecision("queue", item.qualifiedName(), decision);
            if (decision.verdict() == Verdict.SKIP) {
                outcomes.add(notStarted(item, "the gate said skip: " + decision.reasons()));
                continue;
            }
            if (!decision.go()) {
                outcomes.add(notStarted(item, "the gate said " + decision.verdict().id() + ": " + decision.reasons()));
                break;
            }
            outcomes.add(run(item, table));
        }
        return outcomes;
    }

    /**
     * Runs one item now, under its own lock and its table's (read just before): never throws for the item's own
     * failure, which the outcome says.
     */
    private Outcome run(QueueItem item, Optional<Table> table) {
        long started = System.nanoTime();
        Connection holder = catalog.connection();
        if (!QueueStore.lock(holder, item.id())) {
            return notStarted(item, "another zerolock runs it now");
        }
        try {
            QueueItem now = queue.store().byId(item.id()).orElse(null);
            if (now == null || now.state() == ItemState.DONE || now.state() == ItemState.HELD) {
                return notStarted(item, now == null ? "it was removed from the queue" : "it is " + now.state().id());
            }
            if (now.state() == ItemState.RUNNING) {
                log.atWarn().setMessage("a run of this item died; repairing what it left and running it again")
                        .addKeyValue("item", now.qualifiedName()).log();
            }
            if (table.isEmpty()) {
                return ended(now, Status.FAILED, "its table " + now.table().display() + " is gone", started);
            }
            long tableOid = table.get().oid();
            Optional<TableLock> locked = TableLock.tryAcquire(holder, tableOid);
            if (locked.isEmpty()) {
                return notStarted(now, "another zerolock is working on table " + now.table().display() + " ("
                        + TableLock.holderOf(holder, tableOid).orElse("it has just let go") + ")");
            }
            try (TableLock lock = locked.get()) {
                log.atDebug().setMessage("table lock held").addKeyValue("advisory_key", lock.key()).log();
                return runLocked(now, tableOid, started);
            }
        } finally {
            QueueStore.unlock(holder, item.id());
        }
    }

    private Outcome runLocked(QueueItem item, long tableOid, long started) {
        try (Connection work = connector.open("work");
                Journal journal = Journal.openOrWarn(() -> connector.open("journal"), options.stateSchema())) {
            int workPid = Monitor.backendPid(work);
            AutoCloseable claimed = OrphanedWork.claim(catalog.connection(), workPid);
            try {
                OrphanedWork.stop(catalog.connection(), tableOid, item.table(), List.of(workPid));
                Identity.Verdict verdict = Identity.of(catalog, item);
                if (verdict.found() == Identity.Found.DONE) {
                    queue.journal().event("queue", item.qualifiedName(), "found done", "the database has it already: "
                            + "nothing was run");
                    return ended(item, Status.DONE, null, started);
                }
                if (verdict.found() == Identity.Found.CONFLICT) {
                    return ended(item, Status.FAILED, verdict.why(), started);
                }
                if (verdict.found() == Identity.Found.INVALID
                        && catalog.concurrentBuildsInProgress().containsKey(verdict.oid())) {
                    return notStarted(item, "another session is building the invalid index " + item.name().display()
                            + " now");
                }
                if (item.kind() != ItemKind.VALIDATE_CONSTRAINT) {
                    ConcurrentBuildGuards.checkOldTransactions(catalog.connection(), options.maxTransactionAge());
                    ConcurrentBuildGuards.stopWhenClientDies(work, catalog.server().major());
                }
                queue.store().started(item.id());
                return execute(item, verdict, tableOid, work, workPid, journal, started);
            } finally {
                claimed.close();
            }
        } catch (ZerolockException e) {
            return failed(item, e, started);
        } catch (Exception e) {
            return failed(item, new ZerolockException(ErrorCode.OPERATION_FAILED, e.getMessage(), e), started);
        }
    }

    private Outcome execute(QueueItem item, Identity.Verdict verdict, long tableOid, Connection work, int workPid,
            Journal journal, long started) {
        Plan plan = plan(item, verdict);
        List<Long> invalidBefore = FailedConcurrentBuild.invalidIndexes(work, tableOid);
        if (verdict.found() == Identity.Found.INVALID) {
            invalidBefore.remove(verdict.oid()); // dropped by the plan; if the build fails, what it leaves goes too
        }
        // no size before: the index is new (a drop's or validation's size is not what changes)
        journal.operationStarted("queue", plan, verdict.oid(), tableOid, 0);
        Executor executor = new Executor(work).journaledBy(journal);
        int catalogPid;
        try {
            catalogPid = Monitor.backendPid(catalog.connection());
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "lost the catalog connection: " + e.getMessage(), e);
        }
        WatchedRun.Result<?> run = new WatchedRun(connector, options.watchdog(), progress).run(executor, workPid,
                new int[] {workPid, catalogPid}, "item", item.qualifiedName(),
                () -> executor.run(plan));
        if (run.failed()) {
            ZerolockException failure = run.failure();
            String left = item.kind() == ItemKind.CREATE_INDEX ? "; " + FailedConcurrentBuild.dropFailedBuilds(work,
                    tableOid, invalidBefore, undoPolicy()) : "";
            ZerolockException reported = new ZerolockException(failure.code(), failure.getMessage() + left,
                    failure.getCause());
            journal.operationEnded(WatchedRun.outcomeOf(reported), reported.getMessage(), 0, run.impact());
            return failed(item, reported, started);
        }
        Identity.Verdict after = Identity.of(catalog, item);
        if (after.found() != Identity.Found.DONE) {
            String why = "it ran, but the database does not have it as queued"
                    + (after.why() == null ? "" : ": " + after.why());
            journal.operationEnded("failed", why, 0, run.impact());
            return ended(item, Status.FAILED, why, started);
        }
        long newSize = item.kind() == ItemKind.CREATE_INDEX ? indexSize(after.oid()) : 0;
        journal.operationEnded("done", null, newSize, run.impact());
        log.atInfo().setMessage("done").addKeyValue("item", item.qualifiedName()).addKeyValue("kind", item.kind().id())
                .addKeyValue("duration_ms", Duration.ofNanos(System.nanoTime() - started).toMillis())
                .addKeyValue("new_size", newSize).log();
        return ended(item, Status.DONE, null, started);
    }

    private Plan plan(QueueItem item, Identity.Verdict verdict) {
        List<Step> steps = new ArrayList<>();
        List<io.zerolock.catalog.QualifiedName> relations = List.of(item.table());
        if (verdict.found() == Identity.Found.INVALID) {
            steps.add(Step.of(StepKind.DROP, "drop-invalid").subject(item.name().sql())
                    .description("drop the invalid index a failed build left under this name")
                    .sql(MARK + "DROP INDEX CONCURRENTLY IF EXISTS " + item.name().sql())
                    .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations).policy(undoPolicy()).build());
        }
        steps.add(switch (item.kind()) {
            case CREATE_INDEX -> Step.of(StepKind.BUILD, "build").subject(item.name().sql())
                    .description("concurrently, outside a transaction, watched: waits for old snapshots, never for a "
                            + "lock queue").sql(MARK + item.definition())
                    .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations).policy(LockPolicy.concurrentBuild()).build();
            case DROP_INDEX -> Step.of(StepKind.DROP, "drop").subject(item.name().sql())
                    .description("concurrently, under lock_timeout").sql(MARK + item.definition())
                    .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations).policy(undoPolicy()).build();
            case VALIDATE_CONSTRAINT -> Step.of(StepKind.VALIDATE, "validate").subject(item.name().name())
                    .description("scan the table under SHARE UPDATE EXCLUSIVE (writes go on), under lock_timeout")
                    .sql(MARK + item.definition()).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations).transactional()
                    .policy(undoPolicy()).build();
        });
        String action = switch (item.kind()) {
            case CREATE_INDEX -> "build";
            case DROP_INDEX -> "drop";
            case VALIDATE_CONSTRAINT -> "validate";
        };
        return new Plan(item.qualifiedName(), action, steps, options.buildSettings(), undoPolicy());
    }

    private Outcome failed(QueueItem item, ZerolockException failure, long started) {
        QueueItem now = queue.store().byId(item.id()).orElse(item);
        boolean interrupted = failure.code() == ErrorCode.INTERRUPTED;
        boolean permanent = failure.getCause() instanceof SQLException cause
                && SqlState.UNIQUE_VIOLATION.equals(cause.getSQLState());
        if (interrupted) {
            queue.store().ended(item.id(), ItemState.QUEUED, failure.getMessage(), null);
            return new Outcome(now, Status.RETRY, failure.getMessage(), elapsed(started));
        }
        if (permanent || now.progress().attempts() >= now.progress().maxAttempts()) {
            return ended(now, Status.FAILED, failure.getMessage() + (permanent ? " (not retried: fix the data, then "
                    + "zerolock queue approve it)" : " (attempt " + now.progress().attempts() + " of "
                    + now.progress().maxAttempts() + ": no more tries until zerolock queue approve)"), started);
        }
        Duration backoff = backoff(now.progress().attempts());
        queue.store().ended(item.id(), ItemState.QUEUED, failure.getMessage(), clock.instant().plus(backoff));
        log.atWarn().setMessage("the item failed; it runs again after its backoff").addKeyValue("item",
                item.qualifiedName()).addKeyValue("attempt", now.progress().attempts())
                .addKeyValue("retry_in_s", backoff.toSeconds()).addKeyValue("error", failure.getMessage()).log();
        return new Outcome(queue.store().byId(item.id()).orElse(now), Status.RETRY, failure.getMessage(),
                elapsed(started));
    }

    /** The wait after the {@code attempts}-th failed run. */
    static Duration backoff(int attempts) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(10, Math.max(0, attempts - 1)));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private Outcome ended(QueueItem item, Status status, String error, long started) {
        queue.store().ended(item.id(), status == Status.DONE ? ItemState.DONE : ItemState.FAILED, error, null);
        if (status == Status.FAILED) {
            log.atError().setMessage("the item failed").addKeyValue("item", item.qualifiedName())
                    .addKeyValue("error", error).log();
        }
        return new Outcome(queue.store().byId(item.id()).orElse(item), status, error, elapsed(started));
    }

    private static Outcome notStarted(QueueItem item, String why) {
        log.atInfo().setMessage("not started").addKeyValue("item", item.qualifiedName()).addKeyValue("reason", why)
                .log();
        return new Outcome(item, Status.NOT_STARTED, why, Duration.ZERO);
    }

    private LockPolicy undoPolicy() {
        return LockPolicy.bounded(options.lockTimeout(), options.lockAttempts());
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** What a new index on this table will roughly take: for the window's prediction and the gate's space check. */
    private static long sizeOf(Table table) {
        return Math.max(8192, (long) Math.max(0, table.estimatedRows()) * BYTES_PER_ROW);
    }

    private long indexSize(long oid) {
        try (var statement = catalog.connection().prepareStatement("SELECT pg_relation_size(?::oid::regclass)")) {
            statement.setLong(1, oid);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }
}

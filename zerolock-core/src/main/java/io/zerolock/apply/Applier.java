package io.zerolock.apply;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.check.recognize.Name;
import io.zerolock.connect.Connector;
import io.zerolock.queue.LaterMigration;
import io.zerolock.execute.ConcurrentBuildGuards;
import io.zerolock.execute.Executor;
import io.zerolock.execute.FailedConcurrentBuild;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.WatchedRun;
import io.zerolock.execute.Stop;
import io.zerolock.execute.StepResult;
import io.zerolock.journal.Journal;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zerolock apply}: runs migration files that are not applied yet, each statement under a bounded
 * lock or as its exact safe form, journaled step by step, so that a run that dies is finished by the next
 * one; records each applied file in the state schema. Every refusal happens before anything runs.
 */
public final class Applier {

    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    /** Advisory lock class of apply (the first int of the two-int key): one apply per database at a time. */
    private static final int APPLY_LOCK = 0x7a6c0a00;

    private final Connector connector;
    private final ApplyOptions options;
    private final io.zerolock.ProgressListener progress;

    public Applier(Connector connector, ApplyOptions options) {
        this(connector, options, progress -> { });
    }

    /** @param progress hears how each concurrent build goes */
    Connector connector() {
        return connector;
    }

    ApplyOptions options() {
        return options;
    }

    public Applier(Connector connector, ApplyOptions options, io.zerolock.ProgressListener progress) {
        this.connector = connector;
        this.options = options;
        this.progress = progress;
    }

    /**
     * Applies the files not applied yet, in the order given (or, with {@code dryRun}, says what would run
     * and changes nothing, not even the state schema).
     *
     * @throws ApplyRefused when a statement cannot be run safely or an applied file changed: nothing ran
     * @throws ApplyFailure when a statement failed: every outcome, the failed one saying what is left
     */
    public List<ApplyOutcome> run(List<MigrationFile> files, boolean dryRun) {
        requireDistinctNames(files);
        try (Connection catalog = connector.openCatalog()) {
            CatalogReader reader = new CatalogReader(catalog);
            int major = reader.server().major();
            if (reader.server().inRecovery()) {
                throw new ZerolockException(ErrorCode.REFUSED, "the server is a standby (in recovery): apply "
                        + "migrations on the primary");
            }
            Map<String, String> applied = History.applied(catalog, options.stateSchema());
            List<Refusal> changed = new ArrayList<>();
            Set<String> toApply = new LinkedHashSet<>();
            for (MigrationFile file : files) {
                String checksum = applied.get(file.name());
                if (checksum == null) {
                    toApply.add(file.name());
                } else if (!checksum.equals(file.checksum())) {
                    changed.add(new Refusal(file.name(), 1, "applied already, and changed since (checksum "
                            + abbreviated(checksum) + " then, " + abbreviated(file.checksum()) + " now): a migration "
                            + "that ran is history; put the change in a new file"));
                }
            }
            if (!changed.isEmpty()) {
                throw new ApplyRefused(changed);
            }
            // each fact read once per name and run: the checker asks for a table's columns at every statement
            Function<Name, Map<String, String>> columns = once(name -> reader.columnTypes(name.toString()));
            Function<Name, Set<String>> notNull = once(name -> reader.notNullColumns(name.toString()));
            ApplyPlanner.Planned planned = new ApplyPlanner(major, options,
                    once(name -> reader.relationNamed(name.toString())),
                    name -> columns.apply(name).isEmpty() ? null : columns.apply(name))
                    .withIntegerKeys(once(reader::integerPrimaryKey))
                    .withNotNull((table, column) -> notNull.apply(table).contains(column))
                    .withConcurrentRefresh(view -> reader.refreshableConcurrently(view.toString()))
                    .withPartitionBounds((table, bound) -> reader.proposedPartitionBound(table.toString(), bound))
                    .plan(files, toApply);
            if (!planned.refusals().isEmpty()) {
                throw new ApplyRefused(planned.refusals());
            }
            List<ApplyOutcome> outcomes = new ArrayList<>();
            for (MigrationFile file : files) {
                if (!toApply.contains(file.name())) {
                    outcomes.add(new ApplyOutcome(file.name(), ApplyOutcome.Status.ALREADY_APPLIED, Duration.ZERO,
                            List.of(), Impact.none(), null));
                }
            }
            if (dryRun) {
                // what the async queue (or anyone) made already is shown as skipped, as the real run skips it
                planned.plans().forEach(plan -> outcomes.add(outcome(plan, ApplyOutcome.Status.PLANNED,
                        alreadyThere(catalog, plan), Set.of(), null, Duration.ZERO, Impact.none(), null)));
                return order(files, outcomes);
            }
            return order(files, execute(catalog, planned.plans(), outcomes, major));
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "catalog connection failed: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("try") // the apply lock is held for the whole run, released by closing it
    private List<ApplyOutcome> execute(Connection catalog, List<FilePlan> plans, List<ApplyOutcome> outcomes,
            int major) throws SQLException {
        if (plans.isEmpty()) {
            return outcomes;
        }
        if (plans.stream().flatMap(plan -> plan.plan().steps().stream()).anyMatch(step -> !step.policy().bounded())) {
            ConcurrentBuildGuards.checkOldTransactions(catalog, null); // a concurrent build waits for them: say so
        }
        try (AutoCloseable lock = applyLock(catalog);
                Connection work = connector.open("work");
                Journal journal = openJournal()) {
            // killed mid-build, zerolock's build stops within seconds (14+) instead of running on for nobody
            ConcurrentBuildGuards.stopWhenClientDies(work, major);
            int workPid = Monitor.backendPid(work);
            int catalogPid = Monitor.backendPid(catalog);
            io.zerolock.gate.Gate.refuseUnlessGo(catalog, options.gate().standbysLeftToTheBackfill(), "apply", null,
                    plans.get(0).file().name(), journal);
            if (options.requireQueued()) {
                refuseUnfinishedQueueItems(catalog, plans);
            }
            // the history again, now that this run holds the apply lock: another apply may have ended between
            // the first read and the lock, having applied some of these files
            Map<String, String> appliedMeanwhile = History.applied(catalog, options.stateSchema());
            for (int i = 0; i < plans.size(); i++) {
                FilePlan plan = plans.get(i);
                if (appliedMeanwhile.containsKey(plan.file().name())) {
                    outcomes.add(new ApplyOutcome(plan.file().name(), ApplyOutcome.Status.ALREADY_APPLIED,
                            Duration.ZERO, List.of(), Impact.none(), null));
                    continue;
                }
                if (Stop.requested() != null) {
                    plans.subList(i, plans.size()).forEach(left -> outcomes.add(notRun(left)));
                    break;
                }
                try {
                    outcomes.add(applyFile(plan, work, journal, workPid, catalogPid));
                } catch (FileFailed failed) {
                    outcomes.add(failed.outcome);
                    plans.subList(i + 1, plans.size()).forEach(left -> outcomes.add(notRun(left)));
                    throw new ApplyFailure(outcomes, failed.cause);
                }
            }
            return outcomes;
        } catch (ZerolockException e) {
            throw e;
        } catch (Exception e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "apply failed: " + e.getMessage(), e);
        }
    }

    /** A file that failed: its outcome, and the failure as the executor reported it. */
    private static final class FileFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ApplyOutcome outcome;
        private final ZerolockException cause;

        FileFailed(ApplyOutcome outcome, ZerolockException cause) {
            super(cause.getMessage(), cause);
            this.outcome = outcome;
            this.cause = cause;
        }
    }

    private ApplyOutcome applyFile(FilePlan filePlan, Connection work, Journal journal, int workPid,
            int catalogPid) throws FileFailed {
        long started = System.nanoTime();
        Plan plan = filePlan.plan();
        List<Journal.Unfinished> dead = journal.unfinishedWhileExclusive(List.of("apply"),
                filePlan.file().name()); // every apply holds the apply lock, which this run holds now
        Set<Integer> doneEarlier = doneEarlier(journal, dead, filePlan);
        var starting = log.atInfo().setMessage("applying migration").addKeyValue("file", filePlan.file().name())
                .addKeyValue("statements", filePlan.statements().size()).addKeyValue("steps", plan.steps().size());
        if (!dead.isEmpty()) {
            starting = starting.addKeyValue("resuming_operation", dead.get(dead.size() - 1).id())
                    .addKeyValue("steps_done_earlier", doneEarlier.size());
        }
        starting.log();
        journal.operationStarted("apply", plan, 0, 0, 0);
        Map<Integer, StepResult> results = new java.util.HashMap<>();
        Executor executor = new Executor(work).journaledBy(journal).markingCommits().throttledBy(options.throttle());
        WatchedRun.Result<Void> run = new WatchedRun(connector, options.watchdog(), progress).run(executor, workPid,
                new int[] {workPid, catalogPid}, "file", filePlan.file().name(), () -> {
                    int position = 0;
                    for (PlannedStatement statement : filePlan.statements()) {
                        int first = position;
                        position += statement.steps().size();
                        runStatement(statement, first, doneEarlier, dead, work, journal, executor, results);
                    }
                    return null;
                });
        Impact impact = run.impact();
        ZerolockException failure = run.failure();
        Duration took = elapsed(started);
        if (failure != null) {
            String error = failure.getMessage() + "; " + whatIsLeft(failure);
            journal.operationEnded(WatchedRun.outcomeOf(failure), error, 0, impact);
            ApplyOutcome outcome = outcome(filePlan, ApplyOutcome.Status.FAILED, results, doneEarlier, failure,
                    took, impact, error);
            throw new FileFailed(outcome, new ZerolockException(failure.code(), filePlan.file().name() + ": "
                    + error, failure));
        }
        try {
            if (journal.connection() == null) {
                throw new SQLException("the journal is not available");
            }
            History.record(journal.connection(), journal.schema(), filePlan.file(), took,
                    filePlan.statements().size(), journal.operationId());
        } catch (SQLException e) {
            ZerolockException cause = new ZerolockException(ErrorCode.OPERATION_FAILED, filePlan.file().name()
                    + ": every statement ran, but recording it as applied failed (" + e.getMessage() + "); a next "
                    + "apply would run it again: record it by hand or check the state schema", e);
            throw new FileFailed(outcome(filePlan, ApplyOutcome.Status.FAILED, results, doneEarlier, cause, took,
                    impact, cause.getMessage()), cause);
        }
        journal.operationEnded("done", null, 0, impact);
        for (Journal.Unfinished operation : dead) {
            journal.finish(operation.id(), "interrupted", "the run died; apply operation " + journal.operationId()
                    + " finished the file");
        }
        log.atInfo().setMessage("migration applied").addKeyValue("file", filePlan.file().name())
                .addKeyValue("duration_ms", took.toMillis()).log();
        return outcome(filePlan, ApplyOutcome.Status.APPLIED, results, doneEarlier, null, took, impact, null);
    }

    /** How {@code zerolock resume} finishes apply's dead runs: see {@link ApplyRecovery}. */
    public io.zerolock.journal.Recovery recovery() {
        return new ApplyRecovery(this);
    }

    /** One statement's steps, from the first one not done by an earlier run. */
    @SuppressWarnings("try") // the queue item's claim is held while its build runs, released by closing it
    private void runStatement(PlannedStatement statement, int first, Set<Integer> doneEarlier,
            List<Journal.Unfinished> dead, Connection work, Journal journal, Executor executor,
            Map<Integer, StepResult> results) {
        if (statement.typeChange() != null) {
            runTypeChange(statement, first + 1, doneEarlier, journal, results);
            return;
        }
        List<Step> steps = statement.steps();
        int skip = 0;
        while (skip < steps.size() && doneEarlier.contains(first + skip + 1)) {
            journal.stepStarted(first + skip + 1, steps.get(skip));
            journal.stepEnded(first + skip + 1, steps.get(skip), 0, null);
            skip++;
        }
        if (skip == steps.size()) {
            return;
        }
        Step next = steps.get(skip);
        LaterMigration.Check later = laterMigration(work, next);
        if (later.found() == LaterMigration.Found.THERE) {
            // the async queue (or someone) made it already, exactly so: nothing to run
            skipAlreadyThere(first + skip + 1, next, later.why(), journal, results);
            skip++;
            if (skip == steps.size()) {
                return;
            }
            next = steps.get(skip);
        }
        if (later.item() != null) {
            // the queue has not finished it: build it now, as the migration asks, holding the item so that no
            // worker starts the same build meanwhile (and waiting for one that is building it now)
            log.atInfo().setMessage("the async queue has not finished this item; running it now")
                    .addKeyValue("item", later.item().qualifiedName()).addKeyValue("state", later.item().state().id())
                    .log();
            try (AutoCloseable claimed = LaterMigration.claim(work, options.stateSchema(), later.item(),
                    QUEUE_WAIT)) {
                LaterMigration.Check again = laterMigration(work, next);
                if (again.found() == LaterMigration.Found.THERE) { // a worker built it while apply waited
                    skipAlreadyThere(first + skip + 1, next, again.why(), journal, results);
                    runRest(statement, first, skip + 1, dead, work, journal, executor, results);
                    return;
                }
                runRest(statement, first, skip, dead, work, journal, executor, results);
                return;
            } catch (ZerolockException e) {
                throw e;
            } catch (Exception e) {
                throw new ZerolockException(ErrorCode.OPERATION_FAILED, "could not mark the queue's item: "
                        + e.getMessage(), e);
            }
        }
        runRest(statement, first, skip, dead, work, journal, executor, results);
    }

    /**
     * A step whose statement the database has already, exactly so: journaled as done with no attempt and a note,
     * reported as {@code already there} (a zero-attempt result).
     */
    private static void skipAlreadyThere(int position, Step step, String why, Journal journal,
            Map<Integer, StepResult> results) {
        log.atInfo().setMessage("skipped: the database has it already").addKeyValue("step", step.name())
                .addKeyValue("reason", why).log();
        journal.stepStarted(position, step);
        journal.stepNote(position, "skipped: " + why);
        journal.stepEnded(position, step, 0, null);
        results.put(position, new StepResult(step.name(), 0, Duration.ZERO));
    }

    /** The steps of a plan whose statement the database has already (a zero-attempt result each). */
    private Map<Integer, StepResult> alreadyThere(Connection catalog, FilePlan plan) {
        Map<Integer, StepResult> there = new java.util.HashMap<>();
        int position = 0;
        for (Step step : plan.plan().steps()) {
            position++;
            if (laterMigration(catalog, step).found() == LaterMigration.Found.THERE) {
                there.put(position, new StepResult(step.name(), 0, Duration.ZERO));
            }
        }
        return there;
    }

    /** How long apply waits for a worker that is building, now, an item the migration needs. */
    private static final java.time.Duration QUEUE_WAIT = java.time.Duration.ofHours(1);

    /**
     * What the database and the async queue have for the one statement a build or a statement as written runs
     * (LaterMigration tells a CREATE INDEX and a VALIDATE CONSTRAINT from the rest).
     */
    private LaterMigration.Check laterMigration(Connection work, Step step) {
        if ((step.kind() != StepKind.BUILD && step.kind() != StepKind.STATEMENT) || step.statements().size() != 1) {
            return new LaterMigration.Check(LaterMigration.Found.TO_RUN, null, null);
        }
        return LaterMigration.of(new CatalogReader(work), options.stateSchema(), step.statements().get(0));
    }

    /**
     * With {@code --require-queued}: a build or validation the async queue has not finished refuses the run,
     * before anything ran, with the item's state.
     */
    private void refuseUnfinishedQueueItems(Connection catalog, List<FilePlan> plans) {
        List<Refusal> refusals = new ArrayList<>();
        for (FilePlan plan : plans) {
            for (PlannedStatement statement : plan.statements()) {
                for (Step step : statement.steps()) {
                    LaterMigration.Check check = laterMigration(catalog, step);
                    if (check.item() != null) {
                        QueueItemView item = new QueueItemView(check.item());
                        refusals.add(new Refusal(plan.file().name(), statement.line(), "--require-queued: the async "
                                + "queue has not finished " + item.name() + " (it is " + item.state() + item.error()
                                + "); run apply once zerolock queue status --require " + item.name() + " exits 0"));
                    }
                }
            }
        }
        if (!refusals.isEmpty()) {
            throw new ApplyRefused(refusals);
        }
    }

    /** A queue item as a refusal names it. */
    private record QueueItemView(String name, String state, String error) {
        QueueItemView(io.zerolock.queue.QueueItem item) {
            this(item.qualifiedName(), item.state().id() + ", " + item.progress().attempts() + " attempt(s)",
                    item.progress().lastError() == null ? "" : "; last error: " + item.progress().lastError());
        }
    }

    /** The statement's steps from {@code skip} on (the ones before are done). */
    private void runRest(PlannedStatement statement, int first, int start, List<Journal.Unfinished> dead,
            Connection work, Journal journal, Executor executor, Map<Integer, StepResult> results) {
        List<Step> steps = statement.steps();
        int skip = start;
        if (skip == steps.size()) {
            return;
        }
        Step next = steps.get(skip);
        if (next.kind() == StepKind.BUILD && next.subject() != null) {
            Optional<Boolean> valid = new CatalogReader(work).indexValidity(next.subject());
            if (valid.isPresent() && valid.get() && !dead.isEmpty()) {
                // the dead run's build finished: the index is there and valid
                journal.stepStarted(first + skip + 1, next);
                journal.stepEnded(first + skip + 1, next, 0, null);
                skip++;
            } else if (valid.isPresent() && !valid.get()) {
                dropInvalid(work, next.subject());
            }
        } else if (next.kind() == StepKind.DROP && next.subject() != null && !dead.isEmpty()
                && new CatalogReader(work).indexValidity(next.subject()).isEmpty()) {
            journal.stepStarted(first + skip + 1, next); // the dead run's drop finished
            journal.stepEnded(first + skip + 1, next, 0, null);
            skip++;
        }
        if (skip == steps.size()) {
            return;
        }
        List<Step> remaining = new ArrayList<>(steps.subList(skip, steps.size()));
        Step resumable = remaining.get(0);
        if (resumable.kind() == StepKind.BACKFILL && !dead.isEmpty()) {
            Long from = journal.resumeFrom(dead.get(dead.size() - 1).id(), first + skip + 1);
            if (from != null) {
                log.atInfo().setMessage("backfill resumes where the interrupted run got to")
                        .addKeyValue("step", resumable.name()).addKeyValue("from", from).log();
                remaining.set(0, Step.of(resumable.kind(), resumable.name()).subject(resumable.subject())
                        .description(resumable.description())
                        .sql(io.zerolock.execute.Backfill.resumedAt(resumable.statements().get(0), from),
                                resumable.statements().get(1))
                        .locks(resumable.lock(), resumable.relations()).policy(resumable.policy()).build());
            }
        }
        Long tableOid = buildTable(work, remaining);
        List<Long> invalidBefore = tableOid == null ? List.of() : FailedConcurrentBuild.invalidIndexes(work, tableOid);
        try {
            List<StepResult> ran = executor.run(new Plan(statement.text(), "apply", remaining, List.of(),
                    undoPolicy()), first + skip);
            for (int i = 0; i < ran.size(); i++) {
                results.put(first + skip + i + 1, ran.get(i));
            }
        } catch (ZerolockException failure) {
            if (tableOid != null) {
                String dropped = FailedConcurrentBuild.dropFailedBuilds(work, tableOid, invalidBefore, undoPolicy());
                throw new ZerolockException(failure.code(), failure.getMessage() + "; " + dropped, failure.getCause());
            }
            throw failure;
        }
    }

    /**
     * A column type change the migration asked to run online: {@code zerolock alter-type} runs it, with its
     * own journal (a run that died is finished by running it again, which the next apply does).
     */
    private void runTypeChange(PlannedStatement statement, int position, Set<Integer> doneEarlier, Journal journal,
            Map<Integer, StepResult> results) {
        Step step = statement.steps().get(0);
        journal.stepStarted(position, step);
        if (doneEarlier.contains(position)) {
            journal.stepEnded(position, step, 0, null);
            return;
        }
        long started = System.nanoTime();
        PlannedStatement.TypeChange change = statement.typeChange();
        // its backfill updates every row of a table in use: alter-type's short, resting batches (measured),
        // with this run's limits on replica lag and old transactions
        io.zerolock.execute.Backfill.Throttle batches = io.zerolock.altertype.AlterTypeOptions.defaults().throttle();
        io.zerolock.execute.Backfill.Throttle throttle = new io.zerolock.execute.Backfill.Throttle(
                batches.batchTarget(), options.throttle().maxReplicaLag(), options.throttle().maxReplicaLagBytes(),
                options.throttle().maxTransactionAge(), batches.rest());
        try {
            new io.zerolock.altertype.AlterTyper(connector, new io.zerolock.altertype.AlterTypeOptions(
                    options.lockTimeout(), options.lockAttempts(), options.watchdog(), options.stateSchema(),
                    throttle, options.gate()), progress).alter(change.column(), change.type(), change.using(), false);
        } catch (ZerolockException e) {
            journal.stepEnded(position, step, 1, e.getMessage());
            throw e;
        }
        journal.stepEnded(position, step, 1, null);
        results.put(position, new StepResult(step.name(), 1, elapsed(started)));
    }

    private io.zerolock.plan.LockPolicy undoPolicy() {
        return io.zerolock.plan.LockPolicy.bounded(options.lockTimeout(), options.lockAttempts());
    }

    /**
     * The steps an earlier, interrupted apply of the same file finished: those of the latest one whose plan
     * was the same (same steps, same SQL); none when there is no such run.
     */
    private static Set<Integer> doneEarlier(Journal journal, List<Journal.Unfinished> dead, FilePlan filePlan) {
        if (dead.isEmpty()) {
            return Set.of();
        }
        Plan plan = filePlan.plan();
        Journal.Unfinished latest = dead.get(dead.size() - 1);
        List<String> names = plan.steps().stream().map(Step::name).toList();
        if (!List.copyOf(latest.steps().keySet()).equals(names)) {
            throw new ZerolockException(ErrorCode.REFUSED, "an interrupted apply of " + plan.target() + " (operation "
                    + latest.id() + ") ran another plan of it (steps " + String.join(", ", latest.steps().keySet())
                    + "; now " + String.join(", ", names) + "): run apply with the options that run used, so it "
                    + "can be finished");
        }
        Set<Integer> done = new java.util.TreeSet<>(journal.completedSteps(latest.id()));
        Set<Integer> undone = journal.undoneSteps(latest.id());
        // a statement a failure took back (its undo ran) runs again from its first step
        int first = 0;
        for (PlannedStatement statement : filePlan.statements()) {
            int last = first + statement.steps().size();
            int from = first;
            if (undone.stream().anyMatch(position -> position > from && position <= last)) {
                for (int position = first + 1; position <= last; position++) {
                    done.remove(position);
                }
            }
            first = last;
        }
        return done;
    }

    /** What a failure leaves, in a sentence: said with the error and journaled. */
    private static String whatIsLeft(ZerolockException failure) {
        if (failure.code() == ErrorCode.INTERRUPTED) {
            return "the next zerolock apply of the same files finishes this file from where it stopped";
        }
        return "the statements before it are applied and journaled; the next zerolock apply of the same files "
                + "runs this file again from the failed statement, once the cause is fixed";
    }

    /** The table of a concurrent build among these steps, to find the invalid index a failed build leaves. */
    private static Long buildTable(Connection work, List<Step> steps) {
        for (Step step : steps) {
            if (step.kind() == StepKind.BUILD && !step.relations().isEmpty()) {
                QualifiedName table = step.relations().get(0);
                return new CatalogReader(work).relationOid(table).orElse(null);
            }
        }
        return null;
    }

    /** An invalid index with the name a build is about to use: a failed build's, dropped before building again. */
    void dropInvalid(Connection work, String index) {
        log.atWarn().setMessage("an invalid index has the name this build uses (a failed earlier build): dropping "
                + "it concurrently, then building again").addKeyValue("index", index).log();
        new Executor(work).run(Plan.dropConcurrently(index, "apply", "drop-invalid",
                "drop the invalid index a failed build left", index,
                new CatalogReader(work).relationNamed(index).map(List::of).orElse(List.of()), undoPolicy()));
    }

    /** Holds the database's apply lock on the catalog connection (idle, never in a transaction). */
    AutoCloseable applyLock(Connection catalog) throws SQLException {
        int key = options.stateSchema().hashCode();
        try (PreparedStatement statement = catalog.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            statement.setInt(1, APPLY_LOCK);
            statement.setInt(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    throw new ZerolockException(ErrorCode.REFUSED, "another zerolock apply is running on this "
                            + "database (it holds advisory lock " + APPLY_LOCK + "," + key + " in pg_locks): wait "
                            + "for it to end, then run apply again");
                }
            }
        }
        return () -> {
            try (PreparedStatement statement = catalog.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                statement.setInt(1, APPLY_LOCK);
                statement.setInt(2, key);
                statement.execute();
            }
        };
    }

    /** The journal and history are not optional: without them a killed apply could run a statement twice. */
    Journal openJournal() {
        return Journal.openRequired(() -> connector.open("journal"), options.stateSchema(), "apply needs its state "
                + "schema to record what it applied");
    }

    /** The function, each answer kept for the run: the catalog does not change while a run plans. */
    private static <K, V> Function<K, V> once(Function<K, V> read) {
        Map<K, V> known = new java.util.HashMap<>();
        return key -> known.computeIfAbsent(key, read);
    }

    private static ApplyOutcome outcome(FilePlan plan, ApplyOutcome.Status status, Map<Integer, StepResult> results,
            Set<Integer> doneEarlier, ZerolockException failure, Duration took, Impact impact, String error) {
        List<ApplyOutcome.StatementOutcome> statements = new ArrayList<>();
        int position = 0;
        boolean failedSeen = false;
        for (PlannedStatement statement : plan.statements()) {
            List<ApplyOutcome.StepOutcome> steps = new ArrayList<>();
            for (Step step : statement.steps()) {
                position++;
                StepResult result = results.get(position);
                String outcome;
                if (status == ApplyOutcome.Status.PLANNED) {
                    outcome = result != null ? "already there: skipped" : "planned";
                } else if (result != null && result.attempts() == 0) {
                    outcome = "already there"; // made by the async queue: nothing was run
                } else if (result != null) {
                    outcome = "done";
                } else if (doneEarlier.contains(position)) {
                    outcome = "done earlier";
                } else if (failure != null && !failedSeen) {
                    outcome = "failed";
                    failedSeen = true;
                } else {
                    outcome = status == ApplyOutcome.Status.APPLIED ? "done earlier" : "not run";
                }
                steps.add(new ApplyOutcome.StepOutcome(step.name(), step.statements(), step.lock().sql(),
                        step.policy().describe(), outcome, result == null ? 0 : result.attempts(),
                        result == null ? Duration.ZERO : result.duration()));
            }
            statements.add(new ApplyOutcome.StatementOutcome(statement.line(), statement.text(), statement.how(),
                    steps));
        }
        return new ApplyOutcome(plan.file().name(), status, took, statements, impact, error);
    }

    private static ApplyOutcome notRun(FilePlan plan) {
        return outcome(plan, ApplyOutcome.Status.NOT_RUN, Map.of(), Set.of(), null, Duration.ZERO, Impact.none(),
                null);
    }

    /** Outcomes in the order of the files. */
    private static List<ApplyOutcome> order(List<MigrationFile> files, List<ApplyOutcome> outcomes) {
        List<ApplyOutcome> ordered = new ArrayList<>();
        for (MigrationFile file : files) {
            outcomes.stream().filter(o -> o.file().equals(file.name())).findFirst().ifPresent(ordered::add);
        }
        return ordered;
    }

    private static void requireDistinctNames(List<MigrationFile> files) {
        Set<String> seen = new LinkedHashSet<>();
        for (MigrationFile file : files) {
            if (!seen.add(file.name())) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "two migrations are named " + file.name()
                        + ": the history tells them apart by name; rename one");
            }
        }
    }

    private static String abbreviated(String checksum) {
        return checksum.substring(0, Math.min(12, checksum.length()));
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}

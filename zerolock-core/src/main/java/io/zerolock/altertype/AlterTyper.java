package io.zerolock.altertype;

import io.zerolock.ErrorCode;
import io.zerolock.ProgressListener;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.ColumnDefinition;
import io.zerolock.catalog.ColumnDependent;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.NameResolver;
import io.zerolock.connect.Connector;
import io.zerolock.execute.Backfill;
import io.zerolock.execute.ConcurrentBuildGuards;
import io.zerolock.execute.Executor;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.StepResult;
import io.zerolock.execute.TableLock;
import io.zerolock.execute.WatchedRun;
import io.zerolock.journal.Journal;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a column's type change online (see {@link TypeChangePlanner}): journaled step by step under the
 * table's zerolock lock, watched; a run that died is finished by the next run of the same change (steps
 * that completed are not run again, the backfill goes on from its last range, the steps before the swap
 * all run again safely), or after the swap by validating what is left.
 */
public final class AlterTyper {

    private static final Logger log = LoggerFactory.getLogger(AlterTyper.class);

    /** What every type change tells the application's owners. */
    static final String PREPARED_STATEMENTS = "after the swap, a server-side prepared statement that returns the "
            + "column fails once per connection with \"cached plan must not change result type\" (pgjdbc after "
            + "prepareThreshold executions, pgbench -M prepared): the application retries it, or sets pgjdbc's "
            + "autosave=conservative, which re-prepares and retries by itself";

    private final Connector connector;
    private final AlterTypeOptions options;
    private final ProgressListener progress;

    public AlterTyper(Connector connector, AlterTypeOptions options) {
        this(connector, options, progress -> { });
    }

    public AlterTyper(Connector connector, AlterTypeOptions options, ProgressListener progress) {
        this.connector = connector;
        this.options = options;
        this.progress = progress;
    }

    Connector connector() {
        return connector;
    }

    AlterTypeOptions options() {
        return options;
    }

    /** How {@code zerolock resume} finishes type changes whose run died: see {@link AlterTypeRecovery}. */
    public io.zerolock.journal.Recovery recovery() {
        return new AlterTypeRecovery(this);
    }

    /**
     * Changes the type of {@code column} ({@code schema.table.column}) to {@code type}, or says how it would.
     *
     * @param using the {@code USING} expression, in the table's column names; null for a plain cast
     */
    public AlterTypeOutcome alter(String column, String type, String using, boolean dryRun) {
        return alter(column, type, using, false, dryRun);
    }

    /**
     * As {@link #alter(String, String, String, boolean)}; with {@code cascade}, the columns whose foreign keys
     * (of one column) reference this one change to the same type in the same operation, each through the same
     * steps, all swapped in the one transaction.
     */
    public AlterTypeOutcome alter(String column, String type, String using, boolean cascade, boolean dryRun) {
        if (using != null) {
            requireOneExpression("USING expression", using);
        }
        return onColumn(column, (reader, found) -> dryRun ? Optional.of(planned(reader, found, type, using, cascade))
                : Optional.empty(), held -> {
                    if (held.swapped()) {
                        return finishValidations(held.journal(), held.dead(), held.display(), held.column().table());
                    }
                    CatalogReader reader = held.reader();
                    String canonical = canonicalType(reader, type);
                    if (canonical.equals(held.column().type()) && using == null) {
                        return new AlterTypeOutcome(held.display(), AlterTypeOutcome.Status.NOTHING_TO_DO, "none",
                                List.of(), Duration.ZERO, Impact.none(), List.of(held.display() + " is " + canonical
                                        + " already"));
                    }
                    TypeChangeTarget target = target(reader, held.column(), type, using, canonical, cascade
                            ? child -> !child.type().equals(canonical) : child -> false);
                    TypeChangePlanner planner = new TypeChangePlanner(reader.server().major(), options);
                    return run(held, target.rewrites() || !target.cascaded().isEmpty() ? planner.plan(target)
                            : planner.inPlace(target), held.dead());
                });
    }

    /** Removes everything an unfinished change of {@code column} added; refused once its swap is done. */
    public AlterTypeOutcome abort(String column) {
        return onColumn(column, (reader, found) -> Optional.empty(), held -> {
            ColumnDefinition found = held.column();
            if (held.swapped()) {
                throw new ZerolockException(ErrorCode.REFUSED, "the change of " + held.display() + " has swapped "
                        + "the columns already: it cannot be aborted. Run alter-type again to finish it; the old "
                        + "values are kept in " + Identifiers.display(TypeChangePlanner.retiredName(found.name())));
            }
            CatalogReader reader = held.reader();
            boolean started = reader.column(found.tableOid(), TypeChangePlanner.newColumn(found)).isPresent();
            if (!started && held.dead().isEmpty()) {
                return new AlterTypeOutcome(held.display(), AlterTypeOutcome.Status.NOTHING_TO_DO, "abort", List.of(),
                        Duration.ZERO, Impact.none(), List.of("no unfinished type change of " + held.display()));
            }
            // the columns changed with it (--cascade) are those with a working column of their own
            TypeChangeTarget target = target(reader, found, found.type(), null, found.type(), child ->
                    reader.column(child.tableOid(), TypeChangePlanner.newColumn(child)).isPresent());
            AlterTypeOutcome outcome = run(held, new TypeChangePlanner(reader.server().major(), options)
                    .abort(target), List.of());
            for (Journal.Unfinished operation : held.dead()) {
                held.journal().finish(operation.id(), "interrupted", "aborted by alter-type --abort (operation "
                        + held.journal().operationId() + ")");
            }
            return outcome;
        });
    }

    /** Drops the column a finished change retired (after the grace period). */
    public AlterTypeOutcome finish(String column) {
        return onColumn(column, (reader, found) -> {
            String retiredName = TypeChangePlanner.retiredName(found.name());
            Optional<ColumnDefinition> retired = reader.column(found.tableOid(), retiredName);
            if (retired.isEmpty() || retired.get().comment() == null
                    || !retired.get().comment().startsWith(TypeChangePlanner.RETIRED_MARK)) {
                throw new ZerolockException(ErrorCode.NOT_FOUND, "there is no column retired by a zerolock type "
                        + "change of " + display(found) + " to drop (" + Identifiers.display(retiredName) + " with "
                        + "zerolock's comment)");
            }
            return Optional.empty();
        }, held -> run(held, new TypeChangePlanner(held.reader().server().major(), options).finish(
                held.column().table(), TypeChangePlanner.retiredName(held.column().name()), held.display()),
                List.of()));
    }

    /** The column resolved and its table locked (zerolock's advisory lock), with the journal and dead runs. */
    private record Held(Connection catalog, CatalogReader reader, ColumnDefinition column, Journal journal,
            List<Journal.Unfinished> dead) {

        String display() {
            return AlterTyper.display(column);
        }

        /** Whether the latest dead run of this change had swapped the columns. */
        boolean swapped() {
            return !dead.isEmpty() && AlterTyper.swapped(journal, dead.get(dead.size() - 1));
        }
    }

    @FunctionalInterface
    private interface BeforeLock {
        /** An answer that needs no lock (a dry run), or a refusal, or empty to go on. */
        Optional<AlterTypeOutcome> check(CatalogReader reader, ColumnDefinition column);
    }

    @FunctionalInterface
    private interface Locked {
        AlterTypeOutcome run(Held held) throws SQLException;
    }

    /** What every entry point does around its own work: resolve, check, lock the table, open the journal. */
    private AlterTypeOutcome onColumn(String column, BeforeLock before, Locked body) {
        try (Connection catalog = connector.openCatalog()) {
            CatalogReader reader = new CatalogReader(catalog);
            requirePrimary(reader);
            ColumnDefinition found = resolve(reader, column);
            Optional<AlterTypeOutcome> early = before.check(reader, found);
            if (early.isPresent()) {
                return early.get();
            }
            try (TableLock held = TableLock.acquire(catalog, found.tableOid(), found.table(), Duration.ZERO);
                    Journal journal = openJournal()) {
                log.atDebug().setMessage("table lock held").addKeyValue("advisory_key", held.key()).log();
                return body.run(new Held(catalog, reader, found, journal, journal.unfinishedWhileExclusive(
                        List.of(TypeChangePlanner.KIND), display(found))));
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "catalog connection failed: " + e.getMessage(), e);
        }
    }

    private AlterTypeOutcome planned(CatalogReader reader, ColumnDefinition found, String type, String using,
            boolean cascade) {
        String canonical = canonicalType(reader, type);
        TypeChangeTarget target = target(reader, found, type, using, canonical, cascade
                ? child -> !child.type().equals(canonical) : child -> false);
        TypeChangePlanner planner = new TypeChangePlanner(reader.server().major(), options);
        Plan plan = target.rewrites() || !target.cascaded().isEmpty() ? planner.plan(target)
                : planner.inPlace(target);
        List<AlterTypeOutcome.StepOutcome> steps = plan.steps().stream().map(step -> new AlterTypeOutcome.StepOutcome(
                step.name(), step.description(), step.statements(), step.lock().sql(), "planned", 0, Duration.ZERO))
                .toList();
        return new AlterTypeOutcome(display(found), AlterTypeOutcome.Status.PLANNED, plan.strategy(), steps,
                Duration.ZERO, Impact.none(), notes(plan, target.retiredName()));
    }

    private AlterTypeOutcome run(Held held, Plan plan, List<Journal.Unfinished> dead) throws SQLException {
        Connection catalog = held.catalog();
        Journal journal = held.journal();
        ColumnDefinition column = held.column();
        int major = held.reader().server().major();
        long started = System.nanoTime();
        Set<Integer> doneEarlier = doneEarlier(journal, dead, plan);
        if (plan.steps().stream().anyMatch(step -> !step.policy().bounded())) {
            ConcurrentBuildGuards.checkOldTransactions(catalog, null);
        }
        Map<Integer, StepResult> results = new HashMap<>();
        io.zerolock.gate.Gate.refuseUnlessGo(catalog, options.gate().standbysLeftToTheBackfill(),
                TypeChangePlanner.KIND, column.tableOid(), plan.target(), journal);
        try (Connection work = connector.open("work")) {
            ConcurrentBuildGuards.stopWhenClientDies(work, major);
            int workPid = Monitor.backendPid(work);
            journal.operationStarted(TypeChangePlanner.KIND, plan, 0, column.tableOid(), 0);
            log.atInfo().setMessage("changing a column's type").addKeyValue("column", plan.target())
                    .addKeyValue("strategy", plan.strategy()).addKeyValue("steps", plan.steps().size())
                    .addKeyValue("steps_done_earlier", doneEarlier.size()).log();
            Executor executor = new Executor(work).journaledBy(journal).markingCommits()
                    .throttledBy(options.throttle());
            WatchedRun.Result<Void> run = new WatchedRun(connector, options.watchdog(), progress).run(executor,
                    workPid, new int[] {workPid, Monitor.backendPid(catalog)}, "column", plan.target(), () -> {
                        for (int i = 0; i < plan.steps().size(); i++) {
                            Step step = plan.steps().get(i);
                            if (doneEarlier.contains(i + 1) && !(step.kind() == StepKind.BUILD
                                    && !new CatalogReader(work).indexValidity(step.subject()).orElse(false))) {
                                journal.stepStarted(i + 1, step);
                                journal.stepEnded(i + 1, step, 0, null);
                                continue;
                            }
                            Step resumed = step.kind() == StepKind.BACKFILL && !dead.isEmpty()
                                    ? resumedBackfill(journal, dead, step, i + 1) : step;
                            List<StepResult> ran = executor.run(new Plan(plan.target(), plan.strategy(),
                                    List.of(resumed), List.of(), plan.undoPolicy()), i);
                            results.put(i + 1, ran.get(0));
                        }
                        return null;
                    });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (run.failed()) {
                ZerolockException failure = run.failure();
                String left = failure.getMessage() + "; " + whatIsLeft(plan, results, doneEarlier);
                journal.operationEnded(WatchedRun.outcomeOf(failure), left, 0, run.impact());
                throw new ZerolockException(failure.code(), plan.target() + ": " + left, failure);
            }
            journal.operationEnded("done", null, 0, run.impact());
            for (Journal.Unfinished operation : dead) {
                journal.finish(operation.id(), "interrupted", "the run died; operation " + journal.operationId()
                        + " finished it");
            }
            List<AlterTypeOutcome.StepOutcome> steps = new ArrayList<>();
            for (int i = 0; i < plan.steps().size(); i++) {
                Step step = plan.steps().get(i);
                StepResult result = results.get(i + 1);
                steps.add(new AlterTypeOutcome.StepOutcome(step.name(), step.description(), step.statements(),
                        step.lock().sql(), result == null ? "done earlier" : "done",
                        result == null ? 0 : result.attempts(), result == null ? Duration.ZERO : result.duration()));
            }
            List<String> notes = new ArrayList<>();
            for (int i = 0; i < plan.steps().size(); i++) {
                String note = plan.steps().get(i).kind() == StepKind.BACKFILL && results.containsKey(i + 1)
                        ? journal.note(i + 1) : null;
                if (note != null) {
                    notes.add(plan.steps().get(i).name() + ": " + note);
                }
            }
            notes.addAll(notes(plan, TypeChangePlanner.retiredName(column.name())));
            log.atInfo().setMessage("column type changed").addKeyValue("column", plan.target())
                    .addKeyValue("strategy", plan.strategy()).addKeyValue("duration_ms", took.toMillis()).log();
            return new AlterTypeOutcome(plan.target(), AlterTypeOutcome.Status.DONE, plan.strategy(), steps, took,
                    run.impact(), notes);
        }
    }

    /** After a swap that committed, what is left is validating the foreign keys it re-created NOT VALID. */
    AlterTypeOutcome finishValidations(Journal journal, List<Journal.Unfinished> dead, String display,
            io.zerolock.catalog.QualifiedName table) {
        long started = System.nanoTime();
        List<AlterTypeOutcome.StepOutcome> steps = new ArrayList<>();
        try (Connection work = connector.open("work")) {
            for (Journal.PendingValidation pending : journal.pendingValidations(List.of(TypeChangePlanner.KIND),
                    display)) {
                log.atWarn().setMessage("finishing an interrupted type change: validating a foreign key its swap "
                        + "re-created NOT VALID").addKeyValue("column", display).addKeyValue("step", pending.step())
                        .log();
                Step step = Step.of(StepKind.VALIDATE, pending.step()).subject(pending.constraint())
                        .description("finish an interrupted run").sql(pending.sql())
                        .locks(io.zerolock.plan.LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table))
                        .transactional().policy(io.zerolock.plan.LockPolicy.bounded(options.lockTimeout(),
                                options.lockAttempts())).build();
                StepResult result = new Executor(work).run(new Plan(display, "resume", List.of(step), List.of(),
                        step.policy())).get(0);
                journal.resumed(pending);
                steps.add(new AlterTypeOutcome.StepOutcome(step.name(), step.description(), step.statements(),
                        step.lock().sql(), "done", result.attempts(), result.duration()));
            }
            for (Journal.Unfinished operation : dead) {
                journal.finish(operation.id(), "done", "its swap had committed; the foreign keys were validated "
                        + "by the next run");
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "lost the connection: " + e.getMessage(), e);
        }
        return new AlterTypeOutcome(display, AlterTypeOutcome.Status.DONE, "resume", steps,
                Duration.ofNanos(System.nanoTime() - started), Impact.none(), List.of("an interrupted run had swapped "
                        + "the columns already; this run finished it"));
    }

    /** Whether the latest dead run's swap committed (journaled done, or marked committed in its transaction). */
    static boolean swapped(Journal journal, Journal.Unfinished latest) {
        List<String> names = List.copyOf(latest.steps().keySet());
        int swap = names.indexOf("swap");
        return swap >= 0 && journal.completedSteps(latest.id()).contains(swap + 1);
    }

    /** The completed steps of the latest dead run of the same plan; a different plan is refused. */
    private static Set<Integer> doneEarlier(Journal journal, List<Journal.Unfinished> dead, Plan plan) {
        if (dead.isEmpty()) {
            return Set.of();
        }
        Journal.Unfinished latest = dead.get(dead.size() - 1);
        List<String> names = plan.steps().stream().map(Step::name).toList();
        if (!List.copyOf(latest.steps().keySet()).equals(names)) {
            if (!plan.strategy().equals("online")) {
                return Set.of(); // abort and finish stand on their own
            }
            throw new ZerolockException(ErrorCode.REFUSED, "an interrupted type change of " + plan.target()
                    + " (operation " + latest.id() + ") ran another plan (steps " + String.join(", ",
                            latest.steps().keySet()) + "; now " + String.join(", ", names) + "): run it with the "
                    + "type and USING it had, or undo it with --abort");
        }
        return journal.completedSteps(latest.id());
    }

    private static Step resumedBackfill(Journal journal, List<Journal.Unfinished> dead, Step step, int position) {
        Long from = journal.resumeFrom(dead.get(dead.size() - 1).id(), position);
        if (from == null) {
            return step;
        }
        log.atInfo().setMessage("backfill resumes where the interrupted run got to").addKeyValue("from", from).log();
        return Step.of(step.kind(), step.name()).subject(step.subject()).description(step.description())
                .sql(Backfill.resumedAt(step.statements().get(0), from), step.statements().get(1))
                .locks(step.lock(), step.relations()).policy(step.policy()).build();
    }

    private static String whatIsLeft(Plan plan, Map<Integer, StepResult> results, Set<Integer> doneEarlier) {
        int swap = plan.steps().stream().map(Step::name).toList().indexOf("swap") + 1;
        boolean swappedNow = swap > 0 && (results.containsKey(swap) || doneEarlier.contains(swap));
        if (!plan.strategy().equals("online")) {
            return "run it again once the cause is fixed";
        }
        return swappedNow ? "the columns are swapped; the next alter-type run (or zerolock resume) validates the "
                + "foreign keys that are left" : "the table is unchanged for the application; the next alter-type run "
                        + "with the same type goes on from here, and alter-type --abort removes what it added";
    }

    private static List<String> notes(Plan plan, String retired) {
        List<String> notes = new ArrayList<>();
        if (plan.strategy().equals("online") || plan.strategy().equals("in-place")) {
            notes.add(PREPARED_STATEMENTS);
        }
        if (plan.strategy().equals("online")) {
            notes.add("the new column is the table's last: SELECT * lists it after the others; the old one is kept "
                    + "as " + Identifiers.display(retired) + " until alter-type --finish drops it");
        }
        return notes;
    }

    /**
     * Everything the change must carry over, read now.
     *
     * @param cascade which referencing columns (of single-column foreign keys) change with it
     */
    private TypeChangeTarget target(CatalogReader reader, ColumnDefinition column, String type, String using,
            String canonical, java.util.function.Predicate<ColumnDefinition> cascade) {
        List<ColumnDependent> dependents = reader.columnDependents(column.tableOid(), column.number());
        Set<Long> constraintOids = new LinkedHashSet<>(dependents.stream()
                .filter(d -> d.kind() == ColumnDependent.Kind.CONSTRAINT).map(ColumnDependent::oid).toList());
        List<Constraint> ofTable = reader.constraintsOf(column.tableOid());
        // an index of a constraint depends on the constraint, which depends on the column
        Set<Long> indexOids = new LinkedHashSet<>(dependents.stream()
                .filter(d -> d.kind() == ColumnDependent.Kind.INDEX).map(ColumnDependent::oid).toList());
        ofTable.stream().filter(c -> constraintOids.contains(c.oid()) && c.type().usesIndex())
                .forEach(c -> indexOids.add(c.indexOid()));
        List<IndexDefinition> indexes = reader.indexes(List.copyOf(indexOids));
        List<ForeignKey> referencing = new ArrayList<>();
        for (IndexDefinition index : indexes) {
            if (index.unique()) {
                referencing.addAll(reader.foreignKeysReferencing(index.oid()));
            }
        }
        Set<Long> referencingOids = new LinkedHashSet<>(referencing.stream().map(ForeignKey::oid).toList());
        List<Constraint> constraints = ofTable.stream()
                .filter(c -> constraintOids.contains(c.oid()) && !referencingOids.contains(c.oid())).toList();
        Set<Long> known = new LinkedHashSet<>(referencingOids);
        constraints.forEach(c -> known.add(c.oid()));
        List<ColumnDependent> others = dependents.stream().filter(d -> d.kind() != ColumnDependent.Kind.INDEX
                && !(d.kind() == ColumnDependent.Kind.CONSTRAINT && known.contains(d.oid()))).toList();
        // PostgreSQL's rule, kept by the checker: binary-coercible, or timestamp to timestamptz in UTC on 12+
        boolean rewrites = using != null || !io.zerolock.check.rules.TypeChanges.withoutRewrite(column.type(),
                canonical, reader.server().major(), reader.utcSession());
        String key = reader.integerPrimaryKey(column.table().sql()).orElse(null);
        boolean inheritance = reader.hasInheritance(column.tableOid());
        List<TypeChangeTarget> cascaded = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ForeignKey fk : referencing) {
            if (fk.columns().size() != 1 || fk.isInherited() || fk.onPartitionedTable()
                    || !seen.add(fk.tableOid() + "." + fk.columns().get(0))) {
                continue;
            }
            reader.column(fk.tableOid(), fk.columns().get(0)).filter(cascade).ifPresent(child -> cascaded.add(
                    target(reader, child, type, null, canonical, other -> false)));
        }
        return new TypeChangeTarget(column, type, using, rewrites, key, indexes, constraints, referencing, others,
                reader.column(column.tableOid(), TypeChangePlanner.retiredName(column.name())).isPresent(), inheritance,
                cascaded);
    }

    /** {@code schema.table.column}, each part as PostgreSQL reads it; the table by search_path when unqualified. */
    private static ColumnDefinition resolve(CatalogReader reader, String written) {
        List<String> parts = Identifiers.parseDottedName(written);
        if (parts.size() < 2 || parts.size() > 3) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "expected [schema.]table.column, got " + written);
        }
        String columnName = parts.get(parts.size() - 1);
        String table = String.join(".", parts.subList(0, parts.size() - 1).stream().map(Identifiers::quote).toList());
        NameResolver.Resolved resolved = new NameResolver(reader).table(table);
        return reader.column(resolved.oid(), columnName).orElseThrow(() -> new ZerolockException(ErrorCode.NOT_FOUND,
                "column " + Identifiers.display(columnName) + " of " + resolved.name().display() + " does not exist"
                        + reader.columnNames(resolved.oid()).stream().filter(name -> name.equalsIgnoreCase(columnName))
                                .map(name -> " (did you mean " + Identifiers.display(name) + "?)").findFirst()
                                .orElse("")));
    }

    /** The type as PostgreSQL names it; a type it does not know is bad input. */
    private static String canonicalType(CatalogReader reader, String type) {
        requireOneExpression("type", type);
        return reader.canonicalType(type).orElseThrow(() -> new ZerolockException(ErrorCode.BAD_USAGE,
                "PostgreSQL does not know the type " + type));
    }

    /** A type or USING expression is one piece of SQL: a semicolon outside a string would start another. */
    static void requireOneExpression(String what, String text) {
        io.zerolock.check.lex.Lexer lexer = new io.zerolock.check.lex.Lexer(text);
        for (io.zerolock.check.lex.Token token = lexer.next(); token != null; token = lexer.next()) {
            if (token.isPunctuation(";") || token.kind() == io.zerolock.check.lex.Token.Kind.UNTERMINATED) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "the " + what + " must be one SQL expression, "
                        + "got: " + text);
            }
        }
        if (text.isBlank()) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "the " + what + " is empty");
        }
    }

    private static void requirePrimary(CatalogReader reader) {
        if (reader.server().inRecovery()) {
            throw new ZerolockException(ErrorCode.REFUSED, "the server is a standby (in recovery): change column "
                    + "types on the primary");
        }
    }

    private static String display(ColumnDefinition column) {
        return column.table().display() + "." + Identifiers.display(column.name());
    }

    /** The journal is not optional: without it a killed change could not be finished or undone. */
    Journal openJournal() {
        return Journal.openRequired(() -> connector.open("journal"), options.stateSchema(), "alter-type needs its "
                + "state schema to journal its steps");
    }
}

package io.zerolock.apply;

import io.zerolock.catalog.PartitionBound;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.check.Rewrite;
import io.zerolock.check.Severity;
import io.zerolock.check.lex.Splitter;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.check.recognize.Recognizer;
import io.zerolock.check.rules.Locks;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns migration files into plans: each statement runs as written under a bounded lock, or as the exact
 * safe form the checker knows for it, or it is refused (with nothing run) when it would lock a busy table
 * and no rewrite makes it safe. Reads no catalog itself: names of existing relations come from a resolver,
 * so the planner is plain text in, data out.
 */
public final class ApplyPlanner {

    /** {@code -- zerolock:allow ZL014 the table is empty in production}: run it as written, still bounded. */
    private static final Pattern ALLOW = Pattern.compile("(?is)--\\s*zerolock:allow\\b\\s*((?:ZL\\d+[,\\s]*)*)(.*)");

    private static final String META_COMMAND = "psql meta-command skipped: ";

    /** psql meta-commands that only change what psql shows: a file that has them means the same without. */
    private static final Pattern HARMLESS_META = Pattern.compile(
            "^\\\\(echo|qecho|timing|pset|set\\s+ON_ERROR_STOP|set\\s+VERBOSITY|set\\s+ECHO)\\b",
            Pattern.CASE_INSENSITIVE);

    /** Statements PostgreSQL refuses inside a transaction block. */
    private static final Pattern NO_TRANSACTION = Pattern.compile("(?is)^\\s*(?:"
            + "(?:CREATE|DROP)\\s+(?:UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b|REINDEX\\b.*\\bCONCURRENTLY\\b|VACUUM\\b"
            + "|(?:CREATE|DROP)\\s+(?:DATABASE|TABLESPACE)\\b|ALTER\\s+SYSTEM\\b|ALTER\\s+TABLE\\b.*\\bDETACH\\s+PARTITION"
            + "\\b.*\\bCONCURRENTLY\\b|CREATE\\s+SUBSCRIPTION\\b|ALTER\\s+DATABASE\\b.*\\bSET\\s+TABLESPACE\\b)");

    /** Before PostgreSQL 12, {@code ALTER TYPE ... ADD VALUE} cannot run inside a transaction block. */
    private static final Pattern ADD_ENUM_VALUE = Pattern.compile("(?is)^\\s*ALTER\\s+TYPE\\b.*\\bADD\\s+VALUE\\b");

    /** Concurrent forms: they wait for old snapshots, not a lock queue; a lock_timeout would only cancel them. */
    private static final Pattern CONCURRENT = Pattern.compile("(?is)^\\s*(?:(?:CREATE|DROP)\\s+(?:UNIQUE\\s+)?INDEX"
            + "\\s+CONCURRENTLY\\b|REINDEX\\b.*\\bCONCURRENTLY\\b|ALTER\\s+TABLE\\b.*\\bDETACH\\s+PARTITION\\b.*"
            + "\\bCONCURRENTLY\\b)");

    /** Settings that change how long a statement may wait, not what it does. */
    private static final Set<String> TIMEOUTS = Set.of("lock_timeout", "statement_timeout",
            "idle_in_transaction_session_timeout");

    private final int pgVersion;
    private final ApplyOptions options;
    private final Function<Name, Optional<QualifiedName>> existing;
    private final Function<Name, Map<String, String>> columns;
    private Function<String, Optional<String>> integerKey = table -> Optional.empty();
    private java.util.function.BiPredicate<Name, String> notNull = (table, column) -> false;
    private java.util.function.Predicate<Name> concurrentRefresh = view -> false;
    private java.util.function.BiFunction<Name, String, Optional<PartitionBound>> partitionBound =
            (table, bound) -> Optional.empty();

    /**
     * Partitioned tables (by name) whose partitions earlier statements of these files attach, detach, create
     * or (null) may drop: what the database says of their partitions now is not what a later ATTACH meets.
     */
    private final Set<String> partitioningChanged = new java.util.HashSet<>();

    /** Integer primary keys that earlier statements of these files add, by table as written: backfills use them. */
    private final Map<String, String> keysAdded = new HashMap<>();

    /**
     * @param existing the relation a name denotes in the database now (search_path applied), if any: the
     *     relations a step locks, named when it has to wait for them
     * @param columns the columns (name to type) of a table that exists now, or null: what the checker needs
     *     to name a constraint as PostgreSQL will
     */
    public ApplyPlanner(int pgVersion, ApplyOptions options, Function<Name, Optional<QualifiedName>> existing,
            Function<Name, Map<String, String>> columns) {
        this.pgVersion = pgVersion;
        this.options = options;
        this.existing = existing;
        this.columns = columns;
    }

    /**
     * How to find a table's single-column integer primary key (quoted), for backfills run in key ranges;
     * the table as the statement writes it.
     */
    public ApplyPlanner withIntegerKeys(Function<String, Optional<String>> keys) {
        this.integerKey = keys;
        return this;
    }

    /** What PostgreSQL will prove of a table attached to a partitioned table that exists now with a bound. */
    public ApplyPlanner withPartitionBounds(java.util.function.BiFunction<Name, String, Optional<PartitionBound>>
            bounds) {
        this.partitionBound = bounds;
        return this;
    }

    /** Whether a materialized view may be refreshed CONCURRENTLY now: populated, with a usable unique index. */
    public ApplyPlanner withConcurrentRefresh(java.util.function.Predicate<Name> views) {
        this.concurrentRefresh = views;
        return this;
    }

    /** Whether a column of an existing table is NOT NULL now (a primary key on it then needs no scan). */
    public ApplyPlanner withNotNull(java.util.function.BiPredicate<Name, String> columnsNotNull) {
        this.notNull = columnsNotNull;
        return this;
    }

    /** The plans of the files to apply, or what is refused; nothing is refused when refusals is empty. */
    public record Planned(List<FilePlan> plans, List<Refusal> refusals) {
        public Planned {
            plans = List.copyOf(plans);
            refusals = List.copyOf(refusals);
        }
    }

    /**
     * @param history every file in order, applied ones too: the checker reads them all, so what earlier
     *     files created is known when later ones are judged
     * @param toApply the names of the files to plan
     */
    public Planned plan(List<MigrationFile> history, Set<String> toApply) {
        Checker.Report report = Checker.check(history.stream().map(MigrationFile::source).toList(), pgVersion,
                Set.of(), Map.of(), Checker.Session.against(columns, notNull));
        Map<String, List<Finding>> findings = new HashMap<>();
        for (Finding finding : report.findings()) {
            findings.computeIfAbsent(finding.file(), f -> new ArrayList<>()).add(finding);
        }
        List<FilePlan> plans = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        for (MigrationFile file : history) {
            if (toApply.contains(file.name())) {
                plans.add(planFile(file, findings.getOrDefault(file.source().file(), List.of()), refusals));
            }
        }
        return new Planned(plans, refusals);
    }

    private FilePlan planFile(MigrationFile file, List<Finding> fileFindings, List<Refusal> refusals) {
        Splitter.Result split = Splitter.split(file.source().file(), file.source().sql());
        for (Splitter.Warning warning : split.warnings()) {
            String meta = warning.message().startsWith(META_COMMAND)
                    ? warning.message().substring(META_COMMAND.length()) : null;
            if (meta != null && HARMLESS_META.matcher(meta).find()) {
                continue; // psql's own display settings: nothing for the database
            }
            refusals.add(new Refusal(file.name(), warning.line(), meta != null
                    ? "psql meta-command " + meta + ": apply runs the file's SQL itself, not psql, so it would do "
                            + "without it; take it out of the migration (or run the file with psql)"
                    : warning.message() + ": the file cannot be run as it is"));
        }
        List<Splitter.Statement> statements = split.statements();
        Map<Splitter.Statement, List<Finding>> byStatement = attach(statements, fileFindings);
        List<PlannedStatement> planned = new ArrayList<>();
        List<Splitter.Statement> block = null;
        int number = 0;
        for (Splitter.Statement statement : statements) {
            Recognized recognized = recognize(statement);
            if (recognized instanceof Recognized.Begin) {
                block = new ArrayList<>();
                continue;
            }
            if (block != null && (recognized instanceof Recognized.Commit || recognized instanceof Recognized.Rollback)) {
                number++;
                if (recognized instanceof Recognized.Commit && block.size() == 1) {
                    // one statement in its own transaction means what the statement alone means: it may be
                    // rewritten (a concurrent build leaves the transaction) with the same result
                    Splitter.Statement only = block.get(0);
                    planned.add(planStatement(file, number, only, recognize(only), byStatement.get(only), refusals));
                } else if (recognized instanceof Recognized.Commit) {
                    List<PlannedStatement> parts = planBlock(file, number, block, byStatement, refusals);
                    planned.addAll(parts);
                    number += parts.size() - 1;
                } // a block the file rolls back itself changes nothing: nothing to run
                block = null;
                continue;
            }
            if (block != null) {
                block.add(statement);
                continue;
            }
            number++;
            planned.add(planStatement(file, number, statement, recognized, byStatement.get(statement), refusals));
        }
        if (block != null) {
            refusals.add(new Refusal(file.name(), block.isEmpty() ? 1 : block.get(0).line(), "BEGIN without COMMIT: "
                    + "the file leaves its transaction open; end it with COMMIT"));
        }
        return new FilePlan(file, planned, bounded());
    }

    /** Each finding to the statement it is about (a DO block's inner statements: the DO block). */
    private static Map<Splitter.Statement, List<Finding>> attach(List<Splitter.Statement> statements,
            List<Finding> findings) {
        Map<Splitter.Statement, List<Finding>> attached = new HashMap<>();
        statements.forEach(statement -> attached.put(statement, new ArrayList<>()));
        for (Finding finding : findings) {
            Splitter.Statement owner = null;
            for (Splitter.Statement statement : statements) {
                boolean startsBefore = statement.line() < finding.line()
                        || (statement.line() == finding.line() && statement.column() <= finding.column());
                if (startsBefore) {
                    owner = statement;
                }
            }
            if (owner != null) {
                attached.get(owner).add(finding);
            }
        }
        return attached;
    }

    private PlannedStatement planStatement(MigrationFile file, int number, Splitter.Statement statement,
            Recognized recognized, List<Finding> findings, List<Refusal> refusals) {
        PlannedStatement planned = planOne(file, number, statement, recognized, findings, refusals);
        remember(recognized);
        return planned;
    }

    /** What a statement planned before later ones changes that their plans depend on. */
    private void remember(Recognized recognized) {
        rememberKey(recognized);
        if (recognized instanceof Recognized.AlterTable alter && alter.actions().stream().anyMatch(action ->
                action instanceof Action.AttachPartition || action instanceof Action.DetachPartition)) {
            partitioningChanged.add(alter.table().object());
        } else if (recognized instanceof Recognized.CreateTable create && create.partitionOf() != null) {
            partitioningChanged.add(create.partitionOf().object());
        } else if (recognized instanceof Recognized.DropTable) {
            partitioningChanged.add(null); // a dropped table may have been anyone's partition
        }
    }

    /** A primary key of one integer column added to an existing table: later backfills of it can use it. */
    private void rememberKey(Recognized recognized) {
        if (!(recognized instanceof Recognized.AlterTable alter)) {
            return;
        }
        for (Action action : alter.actions()) {
            if (action instanceof Action.AddConstraint add && add.kind() == Action.ConstraintKind.PRIMARY_KEY
                    && add.usingIndex() == null && add.columns().size() == 1) {
                Map<String, String> known = columns.apply(alter.table());
                String type = known == null ? null : known.get(add.columns().get(0));
                if (type != null && List.of("smallint", "integer", "bigint").contains(type)) {
                    keysAdded.put(alter.table().toString(), io.zerolock.catalog.Identifiers.quote(add.columns().get(0)));
                }
            }
        }
    }

    /** The integer key a backfill of this table ranges over: the table's now, or one these files add first. */
    private Optional<String> keyOf(String table) {
        return integerKey.apply(table).or(() -> Optional.ofNullable(keysAdded.get(table)));
    }

    private PlannedStatement planOne(MigrationFile file, int number, Splitter.Statement statement,
            Recognized recognized, List<Finding> findings, List<Refusal> refusals) {
        String text = body(statement);
        Optional<PlannedStatement> online = onlineTypeChange(number, statement, text, recognized);
        if (online.isPresent()) {
            return online.get();
        }
        Set<String> allowed = allowed(statement);
        List<Finding> considered = findings.stream().filter(f -> !allowed.contains(f.ruleId())).toList();
        // every finding with an exact safe form gets it (DROP INDEX is only a warning, and still locks);
        // what has none is refused only when it is an error
        List<Finding> rewritable = considered.stream().filter(f -> f.rewrite() != null).toList();
        List<Finding> unsafe = considered.stream().filter(f -> f.rewrite() == null)
                .filter(f -> f.severity() == Severity.ERROR).toList();
        List<Finding> blocking = considered.stream().filter(f -> f.severity() == Severity.ERROR
                || f.rewrite() != null).toList();
        if (!unsafe.isEmpty()) {
            Finding first = unsafe.get(0);
            refusals.add(new Refusal(file.name(), statement.line(), first.ruleId() + " " + first.message() + ": "
                    + "no rewrite makes it safe. " + first.why() + " Instead: " + first.safe().replace("\n", " ")
                    + " (or, to run it as written, still bounded: -- zerolock:allow " + first.ruleId() + " <reason>)"));
            return new PlannedStatement(statement.line(), text, "refused", List.of());
        }
        if (options.rewrite() && recognized instanceof Recognized.RefreshMaterializedView refresh
                && !refresh.concurrently() && considered.stream().anyMatch(f -> f.ruleId().equals("ZL020"))
                && concurrentRefresh.test(refresh.view())) {
            // the view is populated and has a unique index on plain columns: CONCURRENTLY refreshes the same
            // rows while queries on it go on (EXCLUSIVE instead of ACCESS EXCLUSIVE)
            String concurrently = text.replaceFirst("(?is)^(\\s*REFRESH\\s+MATERIALIZED\\s+VIEW)(\\s+)",
                    "$1 CONCURRENTLY$2");
            return new PlannedStatement(statement.line(), text, "rewritten (ZL020)", List.of(Step.of(
                    StepKind.STATEMENT, number + ":refresh").description("refresh concurrently, under lock_timeout")
                    .sql(concurrently).locks(LockMode.EXCLUSIVE, relations(recognized)).transactional()
                    .policy(bounded()).build()));
        }
        if (options.rewrite() && recognized instanceof Recognized.AlterTable alter && alter.actions().size() == 1
                && alter.actions().get(0) instanceof Action.AttachPartition attach
                && considered.stream().anyMatch(f -> f.ruleId().equals("ZL018"))) {
            Optional<List<Step>> steps = existing.apply(attach.partition()).flatMap(partition ->
                    attachThroughCheck(number, text, alter.table(), partition, relations(recognized)));
            if (steps.isPresent()) {
                return new PlannedStatement(statement.line(), text, "rewritten (ZL018)", steps.get());
            }
        }
        if (options.rewrite() && !rewritable.isEmpty()) {
            Set<Rewrite> distinct = new LinkedHashSet<>();
            rewritable.forEach(f -> distinct.add(f.rewrite()));
            if (distinct.size() > 1) {
                refusals.add(new Refusal(file.name(), statement.line(), "rules "
                        + String.join(", ", rewritable.stream().map(Finding::ruleId).toList()) + " each rewrite this "
                        + "statement differently; split it into one change per statement"));
                return new PlannedStatement(statement.line(), text, "refused", List.of());
            }
            String rules = String.join(", ", rewritable.stream().map(Finding::ruleId).distinct().toList());
            Rewrite rewrite = distinct.iterator().next();
            for (Rewrite.SafeStatement safe : rewrite.statements()) {
                if (safe.how() == Rewrite.How.BACKFILL && keyOf(safe.object()).isEmpty()) {
                    refusals.add(new Refusal(file.name(), statement.line(), rules + ": " + safe.object() + " has no "
                            + "single-column integer primary key, so apply cannot update it in key ranges: add one, "
                            + "or run the update in batches of your own (or, to run it as written, still bounded: "
                            + "-- zerolock:allow " + rewritable.get(0).ruleId() + " <reason>)"));
                    return new PlannedStatement(statement.line(), text, "refused", List.of());
                }
            }
            return new PlannedStatement(statement.line(), text, "rewritten (" + rules + ")",
                    rewriteSteps(number, rewrite, relations(recognized)));
        }
        String how = blocking.isEmpty() ? "as written" : "as written (--no-rewrite; "
                + String.join(", ", blocking.stream().map(Finding::ruleId).distinct().toList()) + ")";
        if (!allowed.isEmpty() && findings.stream().anyMatch(f -> allowed.contains(f.ruleId()))) {
            how = "as written (allowed: " + String.join(", ", allowed) + ")";
        }
        return new PlannedStatement(statement.line(), text, how, List.of(asWritten(number, List.of(text), recognized)));
    }

    /**
     * The file's own BEGIN ... COMMIT: run as one bounded transaction, as written. A statement in it that
     * needs its safe form cannot have it inside the transaction (a concurrent build cannot run there; NOT
     * VALID then VALIDATE in one transaction still holds the lock to COMMIT), so it is moved after the
     * COMMIT, rewritten, when that gives the same result: no later statement of the transaction names what
     * it changes, and no SET before it changes how it reads. Otherwise the file is refused, saying why.
     *
     * @return the transaction, then each statement moved out of it
     */
    private List<PlannedStatement> planBlock(MigrationFile file, int number, List<Splitter.Statement> block,
            Map<Splitter.Statement, List<Finding>> byStatement, List<Refusal> refusals) {
        LockMode lock = LockMode.NONE;
        List<QualifiedName> relations = new ArrayList<>();
        List<String> sql = new ArrayList<>();
        List<Splitter.Statement> moved = new ArrayList<>();
        Splitter.Statement setBefore = null;
        for (int i = 0; i < block.size(); i++) {
            Splitter.Statement statement = block.get(i);
            Set<String> allowed = allowed(statement);
            Recognized recognized = recognize(statement);
            List<Finding> unsafe = byStatement.get(statement).stream()
                    .filter(f -> f.severity() == Severity.ERROR && !allowed.contains(f.ruleId()))
                    .filter(f -> f.rewrite() == null || options.rewrite()).toList();
            if (!unsafe.isEmpty() && unsafe.stream().allMatch(f -> f.rewrite() != null)) {
                Optional<String> reason = setBefore != null
                        ? Optional.of("line " + setBefore.line() + " sets a parameter inside the transaction "
                                + "first, which the statement would not see after the COMMIT")
                        : laterUse(recognized, block.subList(i + 1, block.size()));
                if (reason.isEmpty()) {
                    moved.add(statement);
                    continue;
                }
                Finding first = unsafe.get(0);
                refusals.add(new Refusal(file.name(), statement.line(), first.ruleId() + " " + first.message()
                        + ", inside the file's own BEGIN ... COMMIT: its safe form cannot run inside the "
                        + "transaction, and moving it after the COMMIT would change the result (" + reason.get()
                        + "). Take the statement out of the transaction block, or allow it as written: "
                        + "-- zerolock:allow " + first.ruleId() + " <reason>"));
            } else if (!unsafe.isEmpty()) {
                Finding first = unsafe.get(0);
                refusals.add(new Refusal(file.name(), statement.line(), first.ruleId() + " " + first.message()
                        + ", inside the file's own BEGIN ... COMMIT: the transaction would hold its lock until "
                        + "COMMIT, and no rewrite makes it safe. Instead: " + first.safe().replace("\n", " ")
                        + " (or allow it: -- zerolock:allow " + first.ruleId() + " <reason>)"));
            }
            if (NO_TRANSACTION.matcher(body(statement)).find()) {
                refusals.add(new Refusal(file.name(), statement.line(), "this statement cannot run inside a "
                        + "transaction block, and the file puts it in one: PostgreSQL would refuse it"));
            }
            remember(recognized);
            if (recognized instanceof Recognized.Set set && !TIMEOUTS.contains(set.setting())) {
                setBefore = statement; // a timeout only says how long to wait: apply's own policy decides that
            }
            lock = lock.max(lockOf(recognized));
            relations.addAll(relations(recognized));
            sql.add(body(statement));
        }
        List<PlannedStatement> planned = new ArrayList<>();
        int line = block.isEmpty() ? 1 : block.get(0).line();
        String text = "BEGIN; " + String.join("; ", sql) + "; COMMIT";
        if (sql.isEmpty()) {
            planned.add(new PlannedStatement(line, text, "empty transaction", List.of()));
        } else {
            Step step = Step.of(StepKind.STATEMENT, number + ":transaction")
                    .description("the file's own transaction, as written, under lock_timeout")
                    .sql(sql).locks(lock, List.copyOf(new LinkedHashSet<>(relations))).transactional()
                    .policy(bounded()).build();
            planned.add(new PlannedStatement(line, text, moved.isEmpty() ? "as written (the file's transaction)"
                    : "as written (the file's transaction, less " + moved.size() + " statement"
                            + (moved.size() == 1 ? "" : "s") + " run after its COMMIT)", List.of(step)));
        }
        for (Splitter.Statement statement : moved) {
            PlannedStatement after = planStatement(file, ++number, statement, recognize(statement),
                    byStatement.get(statement), refusals);
            planned.add(new PlannedStatement(after.line(), after.text(), after.how() + ", after the file's COMMIT",
                    after.steps()));
        }
        return planned;
    }

    /**
     * Why a statement cannot run after the rest of its transaction: a later statement of it names a relation,
     * index or constraint the statement changes (it would see the database without the change, or change
     * what the statement then works on). Names are compared as folded, in any schema: cautious on purpose.
     */
    private static Optional<String> laterUse(Recognized recognized, List<Splitter.Statement> later) {
        Set<String> names = new LinkedHashSet<>();
        if (recognized instanceof Recognized.CreateIndex create) {
            names.add(create.table().object());
            if (create.index() != null) {
                names.add(create.index().object());
            }
        } else if (recognized instanceof Recognized.DropIndex drop) {
            drop.indexes().forEach(index -> names.add(index.object()));
        } else if (recognized instanceof Recognized.AlterTable alter) {
            names.add(alter.table().object());
            for (Action action : alter.actions()) {
                if (action instanceof Action.AddConstraint add) {
                    if (add.name() != null) {
                        names.add(add.name());
                    }
                    if (add.usingIndex() != null) {
                        names.add(add.usingIndex());
                    }
                    if (add.references() != null) {
                        names.add(add.references().object());
                    }
                } else if (action instanceof Action.AttachPartition attach) {
                    names.add(attach.partition().object());
                }
            }
        } else if (recognized instanceof Recognized.DataChange change && change.table() != null) {
            names.add(change.table().object());
        } else if (recognized instanceof Recognized.Reindex reindex && reindex.target() != null) {
            names.add(reindex.target().object());
        } else if (recognized instanceof Recognized.RefreshMaterializedView refresh) {
            names.add(refresh.view().object());
        } else {
            return Optional.of("zerolock does not know everything the statement changes");
        }
        for (Splitter.Statement statement : later) {
            for (Token token : statement.body()) {
                String name = token.identifier();
                if (name != null && names.contains(name)) {
                    return Optional.of("line " + statement.line() + " names " + token.text());
                }
            }
        }
        return Optional.empty();
    }

    private List<Step> rewriteSteps(int number, Rewrite rewrite, List<QualifiedName> relations) {
        List<Rewrite.SafeStatement> safe = rewrite.statements();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < safe.size(); i++) {
            Rewrite.SafeStatement statement = safe.get(i);
            String name = number + "." + (i + 1);
            Rewrite.SafeStatement next = i + 1 < safe.size() ? safe.get(i + 1) : null;
            steps.add(switch (statement.how()) {
                // built for a constraint: if attaching it fails, the index goes too, and a next run builds it
                // again (a build that fails because the name is taken made nothing, and is not undone)
                case CONCURRENT -> concurrent(name, statement.sql(), statement.object(), relations,
                        statement.object() != null && next != null && USING_INDEX.matcher(next.sql()).find()
                                ? List.of("DROP INDEX CONCURRENTLY IF EXISTS " + statement.object()) : List.of());
                case SHORT -> {
                    Step.Builder step = Step.of(StepKind.ALTER, name + ":alter").description(describe(statement))
                            .sql(withLockOrder(statement.sql(), relations))
                            .locks(LockMode.ACCESS_EXCLUSIVE, relations).transactional().policy(bounded());
                    if (i > 0 && safe.get(i - 1).how() == Rewrite.How.VALIDATE && next != null) {
                        step.finalizes(); // the change itself is made: what follows only tidies up, never undone
                    }
                    yield step.build();
                }
                // a VALIDATE that fails (a row breaks the constraint) takes back the constraint added NOT VALID
                // for it, so the database is as the failed statement would have left it
                case VALIDATE -> Step.of(StepKind.VALIDATE, name + ":validate").subject(validated(statement.sql()))
                        .description(describe(statement)).sql(statement.sql())
                        .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations).transactional().policy(bounded())
                        .undo(undo(statement)).build();
                case BACKFILL -> {
                    String key = keyOf(statement.object()).orElseThrow();
                    yield Step.of(StepKind.BACKFILL, name + ":backfill").subject(statement.object())
                            .description(describe(statement))
                            .sql(io.zerolock.execute.Backfill.rangeQuery(statement.object(), key),
                                    io.zerolock.execute.Backfill.template(statement.sql(), key))
                            .locks(LockMode.ROW_EXCLUSIVE, relations).policy(bounded()).build();
                }
            });
        }
        return steps;
    }

    /** The constraint a VALIDATE validates, dropped: the undo of the rewrite that added it NOT VALID. */
    private static List<String> undo(Rewrite.SafeStatement validate) {
        Matcher matcher = VALIDATE_TABLE.matcher(validate.sql());
        return matcher.find() ? List.of("ALTER TABLE " + matcher.group(1) + " DROP CONSTRAINT IF EXISTS "
                + matcher.group(2)) : List.of();
    }

    private static final Pattern VALIDATE_TABLE = Pattern.compile(
            "(?is)^\\s*ALTER\\s+TABLE\\s+(.+?)\\s+VALIDATE\\s+CONSTRAINT\\s+(\"(?:[^\"]|\"\")+\"|\\S+)\\s*$");

    private static final Pattern USING_INDEX = Pattern.compile("(?is)\\bUSING\\s+INDEX\\b");

    private static Step concurrent(String name, String sql, String index, List<QualifiedName> relations,
            List<String> undo) {
        String verb = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        StepKind kind = switch (verb) {
            case "CREATE" -> StepKind.BUILD;
            case "DROP" -> StepKind.DROP;
            case "REINDEX" -> StepKind.REINDEX;
            default -> StepKind.STATEMENT;
        };
        return Step.of(kind, name + ":" + kind.id()).subject(index)
                .description("concurrently, outside a transaction, watched: waits for old snapshots, never for a "
                        + "lock queue").sql(sql).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations)
                .policy(LockPolicy.concurrentBuild()).undo(undo).build();
    }

    private Step asWritten(int number, List<String> sql, Recognized recognized) {
        String text = sql.get(0);
        if (CONCURRENT.matcher(text).find()) {
            String index = recognized instanceof Recognized.CreateIndex create && create.index() != null
                    ? create.index().toString() : recognized instanceof Recognized.DropIndex drop
                            && drop.indexes().size() == 1 ? drop.indexes().get(0).toString() : null;
            return concurrent(String.valueOf(number), text, index, relations(recognized), List.of());
        }
        List<QualifiedName> relations = relations(recognized);
        List<String> statements = recognized instanceof Recognized.AlterTable && relations.size() > 1
                && sql.size() == 1 && !NO_TRANSACTION.matcher(text).find()
                ? List.of(lockOrder(relations), text) : sql;
        Step.Builder step = Step.of(StepKind.STATEMENT, number + ":statement").description("as written, under "
                + "lock_timeout").sql(statements).locks(lockOf(recognized), relations).policy(bounded());
        if (!NO_TRANSACTION.matcher(text).find() && !(pgVersion < 12 && ADD_ENUM_VALUE.matcher(text).find())) {
            step.transactional(); // so a run killed after it can tell it committed
        }
        return step.build();
    }

    /** The bound an ATTACH PARTITION gives: {@code FOR VALUES ...} or {@code DEFAULT}, to the end. */
    private static final Pattern ATTACH_BOUND = Pattern.compile("(?is)\\s(FOR\\s+VALUES\\b.*|DEFAULT)\\s*$");

    /**
     * {@code ATTACH PARTITION} of an existing table: the partition constraint, as PostgreSQL itself states it
     * for that bound, is added to the table as a CHECK, NOT VALID, and validated (SHARE UPDATE EXCLUSIVE,
     * writes go on), so the ATTACH finds it and skips its scan under ACCESS EXCLUSIVE. When the parent has
     * a DEFAULT partition, which the ATTACH would scan too (for rows that belong to the new partition), that
     * partition gets {@code CHECK (NOT (constraint))} the same way. The checks are dropped after. Any
     * strategy (RANGE, LIST, HASH), any number of key columns, a DEFAULT bound, a parent that is itself a
     * partition. Empty when PostgreSQL has nothing to prove or refuses the bound (the ATTACH then runs as
     * written, bounded, and says why).
     */
    private Optional<List<Step>> attachThroughCheck(int number, String text, Name parent, QualifiedName attached,
            List<QualifiedName> relations) {
        Matcher written = ATTACH_BOUND.matcher(text);
        if (!written.find()) {
            return Optional.empty();
        }
        boolean isDefault = written.group(1).strip().equalsIgnoreCase("DEFAULT");
        Optional<PartitionBound> proposed = partitionBound.apply(parent, written.group(1));
        if (partitioningChanged.contains(parent.object()) || partitioningChanged.contains(null)) {
            // earlier statements change the partitions: a DEFAULT partition's constraint (what no other holds)
            // and whether there is a DEFAULT partition are theirs to say, not the database's of now; a check
            // stating them could refuse rows the ATTACH would take. The partition's own bounds stay the same.
            proposed = isDefault ? Optional.empty()
                    : proposed.map(found -> new PartitionBound(found.constraint(), Optional.empty()));
        }
        Optional<PartitionBound> bound = proposed;
        if (bound.isEmpty()) {
            return Optional.empty();
        }
        String partition = "ALTER TABLE " + attached.sql();
        String check = "zerolock_partition_bounds";
        String outside = "zerolock_partition_elsewhere";
        LockPolicy policy = bounded();
        List<Step> steps = new ArrayList<>();
        steps.addAll(checkThenValidate(number + ".1", number + ".2", partition, check, bound.get().constraint(),
                "the partition's bounds as a CHECK", relations));
        Optional<String> defaultTable = bound.get().defaultPartition().map(name -> "ALTER TABLE " + name.sql());
        List<QualifiedName> withDefault = new ArrayList<>(relations);
        bound.get().defaultPartition().ifPresent(withDefault::add);
        defaultTable.ifPresent(table -> steps.addAll(checkThenValidate(number + ".3", number + ".4", table,
                outside, "NOT (" + bound.get().constraint() + ")",
                "the DEFAULT partition holds none of its rows, as a CHECK", List.copyOf(withDefault))));
        steps.add(Step.of(StepKind.ALTER, number + ".5:attach").description("no scan: the validated checks prove "
                + "the bounds").sql(text).locks(LockMode.ACCESS_EXCLUSIVE, List.copyOf(withDefault)).transactional()
                .policy(policy).finalizes().build());
        steps.add(Step.of(StepKind.ALTER, number + ".6:alter").description("the check is not needed any more")
                .sql(partition + " DROP CONSTRAINT " + check).locks(LockMode.ACCESS_EXCLUSIVE, relations)
                .transactional().policy(policy).build());
        defaultTable.ifPresent(table -> steps.add(Step.of(StepKind.ALTER, number + ".7:alter")
                .description("the check is not needed any more").sql(table + " DROP CONSTRAINT " + outside)
                .locks(LockMode.ACCESS_EXCLUSIVE, List.copyOf(withDefault)).transactional().policy(policy).build()));
        return Optional.of(steps);
    }

    /** A CHECK added NOT VALID (instant), then validated (writes go on); a failed validation takes it back. */
    private List<Step> checkThenValidate(String add, String validate, String table, String check,
            String condition, String what, List<QualifiedName> relations) {
        return List.of(
                Step.of(StepKind.ALTER, add + ":alter").description(what + ", instant")
                        .sql(table + " ADD CONSTRAINT " + check + " CHECK (" + condition + ") NOT VALID")
                        .locks(LockMode.ACCESS_EXCLUSIVE, relations).transactional().policy(bounded()).build(),
                Step.of(StepKind.VALIDATE, validate + ":validate").subject(check)
                        .description("SHARE UPDATE EXCLUSIVE: writes go on")
                        .sql(table + " VALIDATE CONSTRAINT " + check).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations)
                        .transactional().policy(bounded()).undo(List.of(table + " DROP CONSTRAINT IF EXISTS " + check))
                        .build());
    }

    /**
     * A change that locks more than one table (a foreign key locks the table it references too) takes
     * them up front, referenced tables first, as the application does (it writes a parent, then its
     * children): taking the referencing table first and then waiting for the referenced one deadlocks with
     * every writer in between, and under lock_timeout it would never get through.
     */
    private static List<String> withLockOrder(String sql, List<QualifiedName> relations) {
        return relations.size() > 1 && FOREIGN_KEY.matcher(sql).find() ? List.of(lockOrder(relations), sql)
                : List.of(sql);
    }

    private static final Pattern FOREIGN_KEY = Pattern.compile("(?is)\\bFOREIGN\\s+KEY\\b|\\bREFERENCES\\b");

    /** {@code LOCK TABLE} of the referenced tables, then the table changed, in SHARE ROW EXCLUSIVE mode. */
    private static String lockOrder(List<QualifiedName> relations) {
        List<QualifiedName> ordered = new ArrayList<>(relations.subList(1, relations.size()));
        ordered.add(relations.get(0));
        return "LOCK TABLE " + String.join(", ", ordered.stream().map(QualifiedName::sql).toList())
                + " IN SHARE ROW EXCLUSIVE MODE";
    }

    private LockPolicy bounded() {
        return LockPolicy.bounded(options.lockTimeout(), options.lockAttempts());
    }

    /** The lock a statement run as written takes on tables that exist, as PostgreSQL documents it. */
    private static LockMode lockOf(Recognized recognized) {
        if (recognized instanceof Recognized.CreateIndex create) {
            return create.concurrently() ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.SHARE;
        }
        if (recognized instanceof Recognized.AlterTable alter) {
            LockMode lock = Locks.alterLock(alter);
            return lock == null ? LockMode.SHARE_UPDATE_EXCLUSIVE : lock;
        }
        if (recognized instanceof Recognized.DataChange) {
            return LockMode.ROW_EXCLUSIVE;
        }
        if (recognized instanceof Recognized.LockTable lock) {
            return lock.mode() == null ? LockMode.ACCESS_EXCLUSIVE : lock.mode();
        }
        if (recognized instanceof Recognized.CreateTable create) {
            return create.references().isEmpty() && create.partitionOf() == null ? LockMode.NONE
                    : create.partitionOf() != null ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE_ROW_EXCLUSIVE;
        }
        if (recognized instanceof Recognized.Set || recognized instanceof Recognized.CreateFunction) {
            return LockMode.NONE;
        }
        return LockMode.ACCESS_EXCLUSIVE; // what is not known is assumed the worst: bounded all the same
    }

    /** The existing relations a statement locks, to name who holds them when it has to wait. */
    private List<QualifiedName> relations(Recognized recognized) {
        List<Name> names = new ArrayList<>();
        if (recognized instanceof Recognized.CreateIndex create) {
            names.add(create.table());
        } else if (recognized instanceof Recognized.DropIndex drop) {
            names.addAll(drop.indexes());
        } else if (recognized instanceof Recognized.AlterTable alter) {
            names.add(alter.table());
            for (Action action : alter.actions()) {
                if (action instanceof Action.AddConstraint add && add.references() != null) {
                    names.add(add.references());
                }
                if (action instanceof Action.AttachPartition attach) {
                    names.add(attach.partition());
                }
            }
        } else if (recognized instanceof Recognized.CreateTable create) {
            names.addAll(create.references());
            if (create.partitionOf() != null) {
                names.add(create.partitionOf());
            }
        } else if (recognized instanceof Recognized.Reindex reindex && reindex.target() != null) {
            names.add(reindex.target());
        } else if (recognized instanceof Recognized.DataChange change && change.table() != null) {
            names.add(change.table());
        } else if (recognized instanceof Recognized.LockTable lock) {
            names.addAll(lock.tables());
        } else if (recognized instanceof Recognized.RefreshMaterializedView refresh) {
            names.add(refresh.view());
        } else if (recognized instanceof Recognized.Truncate truncate) {
            names.addAll(truncate.tables());
        } else if (recognized instanceof Recognized.DropTable drop) {
            names.addAll(drop.tables());
        }
        Set<QualifiedName> found = new LinkedHashSet<>();
        for (Name name : names) {
            existing.apply(name).ifPresent(found::add);
        }
        return List.copyOf(found);
    }

    private static final Pattern VALIDATE = Pattern.compile("(?is)\\bVALIDATE\\s+CONSTRAINT\\s+(\"(?:[^\"]|\"\")+\"|\\S+)");

    /** The constraint a VALIDATE names, folded as PostgreSQL folds it. */
    private static String validated(String sql) {
        Matcher matcher = VALIDATE.matcher(sql);
        return matcher.find() ? Token.identifier(matcher.group(1)) : null;
    }

    private static String describe(Rewrite.SafeStatement safe) {
        return safe.note() == null ? safe.how().name().toLowerCase(Locale.ROOT) : safe.note();
    }

    private static final Pattern ONLINE = Pattern.compile("(?is)--\\s*zerolock:online\\b.*");
    private static final Pattern TYPE_CHANGE = Pattern.compile(
            "(?is)\\bALTER\\s+(?:COLUMN\\s+)?(?:\"(?:[^\"]|\"\")+\"|\\S+)\\s+(?:SET\\s+DATA\\s+)?TYPE\\s+(.+?)"
                    + "(?:\\s+USING\\s+(.+))?$");

    /**
     * {@code -- zerolock:online} above an {@code ALTER TABLE ... ALTER COLUMN ... TYPE}: the change is run by
     * {@code zerolock alter-type} (online, journaled and resumable by itself), whatever the database says now,
     * so a run that died half-way plans it the same way again.
     */
    private Optional<PlannedStatement> onlineTypeChange(int number, Splitter.Statement statement, String text,
            Recognized recognized) {
        if (statement.comments().stream().noneMatch(comment -> ONLINE.matcher(comment.text()).matches())) {
            return Optional.empty();
        }
        Matcher type = TYPE_CHANGE.matcher(text);
        if (!(recognized instanceof Recognized.AlterTable alter) || alter.actions().size() != 1
                || !(alter.actions().get(0) instanceof Action.AlterColumnType change) || !type.find()) {
            throw new io.zerolock.ZerolockException(io.zerolock.ErrorCode.BAD_USAGE, statement.file() + ":"
                    + statement.line() + ": -- zerolock:online goes above an ALTER TABLE that changes one column's "
                    + "type (and nothing else)");
        }
        String column = String.join(".", alter.table().parts().stream().map(io.zerolock.catalog.Identifiers::quote)
                .toList()) + "." + io.zerolock.catalog.Identifiers.quote(change.column());
        Step step = Step.of(StepKind.ALTER, number + ":alter-type").subject(column)
                .description("run by zerolock alter-type: a new column kept in step, backfilled in batches, indexes "
                        + "and constraints moved, one short swap under lock_timeout").sql(text)
                .locks(LockMode.ACCESS_EXCLUSIVE, relations(recognized)).policy(bounded()).build();
        return Optional.of(new PlannedStatement(statement.line(), text, "online (zerolock alter-type)", List.of(step),
                new PlannedStatement.TypeChange(column, type.group(1).strip(), type.group(2) == null ? null
                        : type.group(2).strip())));
    }

    /** {@code -- zerolock:allow ZL014 reason} in the comments just before the statement; a reason is required. */
    private static Set<String> allowed(Splitter.Statement statement) {
        Set<String> ids = new LinkedHashSet<>();
        for (Token comment : statement.comments()) {
            Matcher matcher = ALLOW.matcher(comment.text());
            if (!matcher.matches()) {
                continue;
            }
            List<String> named = new ArrayList<>();
            for (String id : matcher.group(1).split("[,\\s]+")) {
                if (!id.isBlank()) {
                    named.add(id.trim().toUpperCase(Locale.ROOT));
                }
            }
            if (named.isEmpty() || matcher.group(2).isBlank()) {
                throw new io.zerolock.ZerolockException(io.zerolock.ErrorCode.BAD_USAGE, statement.file() + ":"
                        + comment.line() + ": -- zerolock:allow needs the rule ids and a reason: "
                        + "-- zerolock:allow ZL014 the table is empty in production");
            }
            io.zerolock.check.rules.Rules.requireKnown(new LinkedHashSet<>(named), statement.file() + ":"
                    + comment.line() + ": -- zerolock:allow");
            ids.addAll(named);
        }
        return ids;
    }

    private static Recognized recognize(Splitter.Statement statement) {
        try {
            return Recognizer.recognize(statement);
        } catch (RuntimeException e) {
            return new Recognized.Unknown(statement.text().strip().split("\\s+", 2)[0]);
        }
    }

    /** The statement's text without its semicolon. */
    private static String body(Splitter.Statement statement) {
        return statement.text().strip().replaceAll(";\\s*$", "").strip();
    }
}

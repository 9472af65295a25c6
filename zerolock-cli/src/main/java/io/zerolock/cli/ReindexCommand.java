package io.zerolock.cli;

import io.zerolock.Zerolock;
import io.zerolock.reindex.ReindexFailure;
import io.zerolock.maintain.BloatedRebuild;
import io.zerolock.maintain.Selection;
import io.zerolock.maintain.Window;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import io.zerolock.reindex.ReindexRequest;
import io.zerolock.reindex.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "reindex", usageHelpAutoWidth = true,
        description = {"Rebuild indexes online, including primary keys and unique constraints that foreign keys "
                + "reference, keeping every property of the index. Indexes named on the command line that cannot "
                + "be rebuilt online are refused before anything changes (exit 2); those found through --table or "
                + "--schema are skipped with a warning.",
                "Strategies: native = REINDEX INDEX CONCURRENTLY (default on PostgreSQL 12+; partitioned indexes "
                        + "leaf by leaf); swap = build a twin concurrently, then swap it in within one short "
                        + "transaction under lock_timeout (default before 12)."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock reindex -d app public.orders_pkey --dry-run",
                "  zerolock reindex -d app --table orders --strategy swap --lock-timeout 500ms",
                "  zerolock reindex -d app --schema sales --maintenance-work-mem 1GB --parallel-workers 2"})
final class ReindexCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Parameters(paramLabel = "INDEX", arity = "0..*",
            description = "Indexes to rebuild ([schema.]name; unqualified names follow search_path).")
    List<String> indexes = new ArrayList<>();

    @Option(names = "--table", paramLabel = "TABLE", description = "Rebuild every index of this table.")
    String table;

    @Option(names = "--schema", paramLabel = "SCHEMA", description = "Rebuild every index of this schema.")
    String schema;

    @Option(names = "--strategy", paramLabel = "native|swap", description = "Default: native on 12+, swap before.",
            converter = StrategyConverter.class)
    Strategy strategy;

    @Mixin
    LockOptions locks;

    @Option(names = "--maintenance-work-mem", paramLabel = "SIZE",
            description = "maintenance_work_mem for the builds, e.g. 1GB.")
    String maintenanceWorkMem;

    @Option(names = "--parallel-workers", paramLabel = "N",
            description = "max_parallel_maintenance_workers for the builds.")
    Integer parallelWorkers;

    @Option(names = "--temp-file-limit", paramLabel = "SIZE",
            description = "temp_file_limit for the builds, when the role may set it (a superuser setting).")
    String tempFileLimit;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = "24h",
            converter = Durations.class,
            description = "When another zerolock is working on the same table, wait for it (up to DURATION, "
                    + "default 24h) instead of exiting.")
    Duration waitForOthers;

    @Mixin
    WatchdogOptions watchdog;

    @Mixin
    GateOptions gate;

    @Mixin
    ReplicaOptions replica;

    @Option(names = "--bloated", description = "Rebuild the indexes (of the database, or of --schema or --table) "
            + "that zerolock bloat says are worth it: over --min-size and --min-bloat, not rebuilt within "
            + "--cooldown, at most --max of them, biggest reclaim first; with --dry-run, the ranking and why each "
            + "index is in or out.")
    boolean bloated;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--max-xact-age", paramLabel = "DURATION", converter = Durations.class,
            description = "Refuse to start while a transaction older than this is open (a concurrent build would "
                    + "wait for it). Without it, such transactions older than a minute are only warned about.")
    Duration maxTransactionAge;

    @Mixin
    StateSchemaOption stateSchema;

    @Option(names = "--dry-run", description = "Print the plan (every step's SQL, lock, transaction and retry "
            + "policy) and change nothing.")
    boolean dryRun;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    ReindexReport.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!bloated) {
            for (String option : SelectionOptions.NAMES) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), option
                            + " only goes with --bloated");
                }
            }
        } else if (!indexes.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--bloated chooses the indexes itself: name none (--schema and --table narrow its choice)");
        }
        if (indexes.isEmpty() && table == null && schema == null && !bloated) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "name at least one INDEX, or give --table, --schema or --bloated");
        }
        locks.validate(spec.commandLine());
        ReindexOptions options = new ReindexOptions(strategy, locks.lockTimeout, locks.lockRetries, maintenanceWorkMem,
                parallelWorkers, tempFileLimit, waitForOthers == null ? Duration.ZERO : waitForOthers,
                watchdog.watchdog(), maxTransactionAge, stateSchema.name(spec.commandLine()), gate.limits(null, replica.maxReplicaLag, replica.maxReplicaBytes));
        if (bloated) {
            return bloated(options);
        }
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            ReindexRequest request = new ReindexRequest(indexes, table, schema);
            // on a terminal, a live progress line; otherwise (or when logs are quieted) a log line every 10 s
            List<ReindexOutcome> outcomes;
            try {
                outcomes = System.console() != null && !quiet()
                        ? zerolock.reindex(request, options, dryRun, new TerminalProgress(System.err))
                        : zerolock.reindex(request, options, dryRun);
            } catch (ReindexFailure failure) {
                // every target was tried: report them all, then fail with what failed
                spec.commandLine().getOut().print(ReindexReport.render(failure.outcomes(), format, dryRun));
                spec.commandLine().getOut().flush();
                throw failure;
            }
            spec.commandLine().getOut().print(ReindexReport.render(outcomes, format, dryRun));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private Integer bloated(ReindexOptions options) {
        Selection.Criteria criteria = selection.criteria();
        Window parsed = selection.window();
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            BloatedRebuild.Run run = zerolock.reindexBloated(schema, table, criteria, parsed, options, dryRun);
            spec.commandLine().getOut().print(format == ReindexReport.Format.json ? BloatedReport.json(run, criteria)
                    : BloatedReport.text(run, criteria, dryRun));
            spec.commandLine().getOut().flush();
            if (!run.failures().isEmpty()) {
                throw run.failures().get(0);
            }
        }
        return 0;
    }

    private boolean quiet() {
        Object root = spec.root().userObject();
        return root instanceof ZerolockCommand command && command.quiet;
    }

    static final class StrategyConverter implements picocli.CommandLine.ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            for (Strategy candidate : Strategy.values()) {
                if (candidate.id().equals(value)) {
                    return candidate;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected native or swap, got '" + value + "'");
        }
    }
}

package io.zerolock;

import io.zerolock.bloat.BloatEstimate;
import io.zerolock.bloat.BloatEstimator;
import io.zerolock.bloat.BloatReport;
import io.zerolock.bloat.BloatRequest;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.cleanup.Cleanup;
import io.zerolock.cleanup.CleanupOutcome;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.NameResolver;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.connect.Connector;
import io.zerolock.reindex.RebuildVerdict;
import io.zerolock.reindex.Rebuildability;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import io.zerolock.reindex.ReindexRequest;
import io.zerolock.reindex.Reindexer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The entry point of the zerolock library: one connection to one database.
 *
 * <pre>{@code
 * try (Zerolock zerolock = Zerolock.connect(ConnectionOptions.ofDbname("postgresql://app@db/app"))) {
 *     zerolock.indexes(null, "orders").forEach(System.out::println);
 * }
 * }</pre>
 */
public final class Zerolock implements AutoCloseable {

    private final Connector connector;
    private final Connection connection;
    private final CatalogReader catalog;

    private Zerolock(Connector connector) {
        this.connector = connector;
        this.connection = connector.openCatalog();
        this.catalog = new CatalogReader(connection);
    }

    /** Connects with libpq's rules, reading this process's environment and {@code ~/.pgpass}. */
    public static Zerolock connect(ConnectionOptions options) {
        return connect(ConnectionResolver.forThisProcess().resolve(options));
    }

    public static Zerolock connect(ConnectionTarget target) {
        return new Zerolock(new Connector(target));
    }

    public ConnectionTarget target() {
        return connector.target();
    }

    public ServerInfo server() {
        return catalog.server();
    }

    public CatalogReader catalog() {
        return catalog;
    }

    public NameResolver names() {
        return new NameResolver(catalog);
    }

    /**
     * The maintenance view of the indexes of user tables, optionally of one schema and/or one table
     * (names as a user types them: quoted parts exact, unquoted folded, unqualified by search_path).
     */
    public List<IndexStatus> indexes(String schema, String table) {
        NameResolver names = names();
        String schemaName = schema == null ? null : names.schema(schema);
        Long tableOid = table == null ? null : names.table(qualify(schema, table)).oid();
        List<IndexStatus> statuses = new ArrayList<>();
        for (IndexDefinition index : catalog.indexes(catalog.indexOids(schemaName, tableOid))) {
            statuses.add(status(index));
        }
        return statuses;
    }

    /**
     * As {@link #indexes(String, String)}, with each index's bloat estimate (corrected by the history in
     * {@code stateSchema}, an exact schema name).
     */
    public List<IndexStatus> indexesWithBloat(String schema, String table, String stateSchema) {
        List<IndexStatus> statuses = indexes(schema, table);
        BloatEstimator estimator = new BloatEstimator(catalog, stateSchema);
        java.util.Map<Long, BloatEstimate> estimates = new java.util.HashMap<>();
        estimator.estimate(bloatRequest(schema, table, 0, false)).indexes().forEach(e -> estimates.put(e.oid(), e));
        return statuses.stream().map(s -> s.withBloat(estimates.get(s.index().oid()))).toList();
    }

    /**
     * What rebuilding each index (and rewriting each table) of the database, a schema or a table would give
     * back, biggest first; relations under {@code minSizeBytes} left out. With {@code exact}, measured by
     * pgstattuple where it is installed and can (it reads every page). Reads only.
     */
    public BloatReport bloat(String schema, String table, long minSizeBytes, boolean exact, String stateSchema) {
        return new BloatEstimator(catalog, stateSchema).estimate(bloatRequest(schema, table, minSizeBytes, exact));
    }

    /**
     * {@code reindex --bloated}: ranks the indexes (of the database, a schema or a table) by what a rebuild
     * would give back, and rebuilds the chosen ones one at a time through {@link #reindex}, each only while
     * {@code window} (or null) is open and only if its predicted time fits in what is left of it.
     */
    public io.zerolock.maintain.BloatedRebuild.Run reindexBloated(String schema, String table,
            io.zerolock.maintain.Selection.Criteria criteria, io.zerolock.maintain.Window window,
            ReindexOptions options, boolean dryRun) {
        return reindexBloated(schema, table, criteria, window, options, dryRun, "reindex");
    }

    /** As above, the window's decisions kept in the history under {@code command} (reindex, worker). */
    public io.zerolock.maintain.BloatedRebuild.Run reindexBloated(String schema, String table,
            io.zerolock.maintain.Selection.Criteria criteria, io.zerolock.maintain.Window window,
            ReindexOptions options, boolean dryRun, String command) {
        io.zerolock.maintain.BloatedRebuild rebuild = new io.zerolock.maintain.BloatedRebuild(catalog,
                options.stateSchema(), java.time.Clock.systemUTC());
        java.util.function.Function<BloatEstimate, String> refusal = estimate -> {
            RebuildVerdict verdict = status(catalog.requireIndex(estimate.oid())).verdict();
            return verdict.online() ? null : verdict.reason();
        };
        if (dryRun) { // a dry run writes nothing, the history included
            return rebuild.run(bloatRequest(schema, table, 0, false), criteria, window, true, refusal,
                    name -> List.of(), (target, decision) -> { });
        }
        try (io.zerolock.journal.Journal journal = io.zerolock.journal.Journal.openOrWarn(
                () -> connector.open("journal"), options.stateSchema())) {
            return rebuild.run(bloatRequest(schema, table, 0, false), criteria, window, false, refusal,
                    name -> reindex(io.zerolock.reindex.ReindexRequest.indexes(name), options, false),
                    (target, decision) -> journal.gateDecision(command, target, decision));
        }
    }

    /** What zerolock did to this database since {@code since}, from the journal in {@code stateSchema}. */
    public io.zerolock.journal.History.Entries history(String stateSchema, java.time.Instant since) {
        return io.zerolock.journal.History.since(connection, stateSchema, since);
    }

    private BloatRequest bloatRequest(String schema, String table, long minSizeBytes, boolean exact) {
        NameResolver names = names();
        String schemaName = schema == null ? null : names.schema(schema);
        Long tableOid = table == null ? null : names.table(qualify(schema, table)).oid();
        return new BloatRequest(schemaName, tableOid, minSizeBytes, exact);
    }

    /**
     * Rebuilds indexes online (or, with {@code dryRun}, only plans it). Refuses, before changing anything,
     * named indexes that cannot be rebuilt online.
     */
    public List<ReindexOutcome> reindex(ReindexRequest request, ReindexOptions options, boolean dryRun) {
        return new Reindexer(connector, options).run(request, dryRun, connection);
    }

    /** As {@link #reindex(ReindexRequest, ReindexOptions, boolean)}, telling {@code progress} how builds go. */
    public List<ReindexOutcome> reindex(ReindexRequest request, ReindexOptions options, boolean dryRun,
            ProgressListener progress) {
        return new Reindexer(connector, options, progress).run(request, dryRun, connection);
    }

    /**
     * Finds every invalid index, drops the leftovers of REINDEX CONCURRENTLY and of zerolock, reports
     * (or, with {@code rebuildInvalid}, rebuilds) users' failed builds, and never touches a valid index
     * or one a constraint uses. Each drop runs concurrently under lock_timeout with retries; one failure
     * does not stop the others. Each is journaled in {@code stateSchema} (created unless {@code dryRun}).
     */
    public List<CleanupOutcome> cleanup(boolean rebuildInvalid, boolean dryRun, Duration lockTimeout, int attempts,
            String stateSchema) {
        if (!dryRun) {
            // what dead runs left is theirs to finish or undo first, so their operations get a final outcome
            resume(ReindexOptions.defaults().withLocks(lockTimeout, attempts).withStateSchema(stateSchema));
        }
        return Cleanup.run(catalog, connector, rebuildInvalid, dryRun, lockTimeout, attempts, stateSchema);
    }

    /**
     * Finishes or undoes what interrupted runs left, from the journal: every operation of a dead run gets
     * a final outcome. Returns one line per thing done.
     */
    public List<String> resume(ReindexOptions options) {
        List<String> lines = new ArrayList<>();
        for (io.zerolock.journal.Recovery recovery : List.of(new io.zerolock.reindex.ReindexResume(connector, options),
                new io.zerolock.apply.Applier(connector, io.zerolock.apply.ApplyOptions.defaults()
                        .withLocks(options.lockTimeout(), options.lockAttempts())
                        .withStateSchema(options.stateSchema())).recovery(),
                new io.zerolock.altertype.AlterTyper(connector, io.zerolock.altertype.AlterTypeOptions.defaults()
                        .withLocks(options.lockTimeout(), options.lockAttempts())
                        .withStateSchema(options.stateSchema())).recovery())) {
            lines.addAll(recovery.finishDeadRuns()); // each kind of operation finishes its own
        }
        return lines;
    }

    /**
     * Applies migration files not applied yet, each statement under a bounded lock or as its exact safe form
     * (or, with {@code dryRun}, says what would run and changes nothing). Refuses, before anything runs,
     * statements no rewrite makes safe and applied files that changed.
     */
    public List<io.zerolock.apply.ApplyOutcome> apply(List<io.zerolock.apply.MigrationFile> files,
            io.zerolock.apply.ApplyOptions options, boolean dryRun, ProgressListener progress) {
        return new io.zerolock.apply.Applier(connector, options, progress).run(files, dryRun);
    }

    /**
     * Changes a column's type ({@code [schema.]table.column}) online, or with {@code dryRun} says how; a
     * change PostgreSQL makes without a rewrite is one bounded ALTER. A run that died is finished by the next.
     *
     * @param using the USING expression in the table's column names, or null for a plain cast
     */
    public io.zerolock.altertype.AlterTypeOutcome alterType(String column, String type, String using,
            io.zerolock.altertype.AlterTypeOptions options, boolean dryRun, ProgressListener progress) {
        return alterType(column, type, using, false, options, dryRun, progress);
    }

    /** As above; with {@code cascade}, the columns whose foreign keys reference it change with it. */
    public io.zerolock.altertype.AlterTypeOutcome alterType(String column, String type, String using,
            boolean cascade, io.zerolock.altertype.AlterTypeOptions options, boolean dryRun,
            ProgressListener progress) {
        return new io.zerolock.altertype.AlterTyper(connector, options, progress).alter(column, type, using, cascade,
                dryRun);
    }

    /** Removes what an unfinished type change of the column added (refused once its swap is done). */
    public io.zerolock.altertype.AlterTypeOutcome abortTypeChange(String column,
            io.zerolock.altertype.AlterTypeOptions options) {
        return new io.zerolock.altertype.AlterTyper(connector, options).abort(column);
    }

    /** Drops the column a finished type change retired. */
    public io.zerolock.altertype.AlterTypeOutcome finishTypeChange(String column,
            io.zerolock.altertype.AlterTypeOptions options) {
        return new io.zerolock.altertype.AlterTyper(connector, options).finish(column);
    }

    /** The async index queue of this database; its state schema is created on first use. Close it after. */
    public io.zerolock.queue.Queue queue(String stateSchema) {
        return new io.zerolock.queue.Queue(connector, catalog, stateSchema);
    }

    /**
     * Runs the queue's due items (and repairs what dead runs of them left): in the window when there is one
     * (null: none), through the gate of {@code options}, one at a time.
     */
    public List<io.zerolock.queue.QueueRunner.Outcome> runQueue(io.zerolock.queue.Queue queue,
            io.zerolock.maintain.Window window, ReindexOptions options, ProgressListener progress,
            java.time.Clock clock) {
        return new io.zerolock.queue.QueueRunner(connector, catalog, queue, options, progress, clock).runDue(window);
    }

    /** The maintenance view of one index, by user-typed name. */
    public IndexStatus index(String name) {
        return status(catalog.requireIndex(names().index(name).oid()));
    }

    private IndexStatus status(IndexDefinition index) {
        var constraint = catalog.constraintUsingIndex(index.oid());
        var keys = catalog.foreignKeysReferencing(index.oid());
        return new IndexStatus(index, constraint, keys, Rebuildability.assess(index, constraint, keys, server(),
                catalog::privileges), Optional.empty());
    }

    /** A table typed without a schema is looked up in --schema when one is given. */
    private static String qualify(String schema, String table) {
        if (schema == null || table.contains(".")) {
            return table;
        }
        return schema + "." + table;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a broken connection: nothing left to release
        }
    }
}

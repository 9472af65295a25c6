package io.zerolock.reindex;

import io.zerolock.ErrorCode;
import io.zerolock.ProgressListener;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.connect.Connector;
import io.zerolock.execute.ConcurrentBuildGuards;
import io.zerolock.execute.Executor;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.OrphanedWork;
import io.zerolock.execute.Stop;
import io.zerolock.execute.TableLock;
import io.zerolock.journal.Journal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds indexes online: resolves the targets to OIDs once, refuses what cannot be rebuilt online
 * before changing anything, plans each index, then runs the plans one after the other.
 */
public final class Reindexer {

    private static final Logger log = LoggerFactory.getLogger(Reindexer.class);

    private final Connector connector;
    private final ReindexOptions options;
    private final ProgressListener progress;

    public Reindexer(Connector connector, ReindexOptions options) {
        this(connector, options, new TenSecondLog());
    }

    public Reindexer(Connector connector, ReindexOptions options, ProgressListener progress) {
        this.connector = connector;
        this.options = options;
        this.progress = progress;
    }

    /** The default progress: a log line for every 10 seconds a build has run. */
    private static final class TenSecondLog implements ProgressListener {
        private long logged;

        @Override
        public synchronized void progress(Progress p) {
            long decade = p.elapsed().toSeconds() / 10;
            if (decade > logged) {
                logged = decade;
                log.atInfo().setMessage("progress").addKeyValue("index", p.index()).addKeyValue("step", p.step())
                        .addKeyValue("phase", p.phase()).addKeyValue("blocks", p.blocksDone() + "/" + p.blocksTotal())
                        .addKeyValue("tuples", p.tuplesDone() + "/" + p.tuplesTotal())
                        .addKeyValue("elapsed_s", p.elapsed().toSeconds()).log();
            }
        }

        @Override
        public synchronized void stepFinished(String step) {
            logged = 0;
        }
    }

    /** Plans every target and, unless {@code dryRun}, runs the plans; catalog reads on a connection of its own. */
    public List<ReindexOutcome> run(ReindexRequest request, boolean dryRun) {
        try (Connection connection = connector.openCatalog()) {
            return run(request, dryRun, connection);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "catalog connection failed: " + e.getMessage(), e);
        }
    }

    /**
     * Plans every target and, unless {@code dryRun}, runs the plans, reading the catalog on the given
     * autocommit connection (its search_path is restored afterwards).
     */
    public List<ReindexOutcome> run(ReindexRequest request, boolean dryRun, Connection catalogConnection) {
        try {
            CatalogReader catalog = new CatalogReader(catalogConnection);
            ServerInfo server = catalog.server();
            Set<Long> named = new LinkedHashSet<>();
            Set<Long> found = new LinkedHashSet<>();
            ReindexTargets.resolve(request, catalog, named, found);
            qualifyEverything(catalogConnection);
            try {
                ReindexOptions effective = permittedOptions(catalogConnection);
                // every refusal happens here, before anything changes
                List<Prepared> prepared = new ReindexTargets(options).prepare(catalog, server, named, found, effective);
                return dryRun ? planned(prepared) : execute(catalog, server, effective, prepared);
            } finally {
                try (Statement statement = catalogConnection.createStatement()) {
                    statement.execute("RESET search_path");
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "catalog query failed: " + e.getMessage(), e);
        }
    }

    private static List<ReindexOutcome> planned(List<Prepared> prepared) {
        List<ReindexOutcome> outcomes = new ArrayList<>();
        for (Prepared item : prepared) {
            outcomes.add(item.plan() == null ? skipped(item) : new ReindexOutcome(item.index().name(),
                    ReindexOutcome.Status.PLANNED, item.plan().strategy(), item.plan(), Duration.ZERO, 0,
                    item.index().sizeBytes(), 0, null, Impact.none()));
        }
        return outcomes;
    }

    private List<ReindexOutcome> execute(CatalogReader catalog, ServerInfo server, ReindexOptions effective,
            List<Prepared> prepared) {
        List<ReindexOutcome> outcomes = new ArrayList<>();
        if (prepared.stream().anyMatch(item -> item.plan() != null)) {
            ConcurrentBuildGuards.checkOldTransactions(catalog.connection(), effective.maxTransactionAge());
        }
        if (prepared.stream().noneMatch(item -> item.plan() != null)) {
            prepared.forEach(item -> outcomes.add(skipped(item)));
            return outcomes;
        }
        AutoCloseable claimed = null;
        List<ZerolockException> failures = new ArrayList<>();
        try (Connection work = connector.open("work");
                Journal journal = Journal.openOrWarn(() -> connector.open("journal"), effective.stateSchema())) {
            ConcurrentBuildGuards.stopWhenClientDies(work, server.major());
            claimed = OrphanedWork.claim(catalog.connection(), Monitor.backendPid(work));
            Executor executor = new Executor(work).journaledBy(journal);
            io.zerolock.gate.Gate gate = new io.zerolock.gate.Gate(effective.gate());
            String gateSaid = null;
            for (Prepared item : prepared) {
                if (item.plan() == null) {
                    outcomes.add(skipped(item));
                    continue;
                }
                if (Stop.requested() != null) {
                    outcomes.add(skipped(new Prepared(item.index(), null, "not started: stopped by "
                            + Stop.requested())));
                    continue;
                }
                if (gateSaid == null) {
                    // before each index: a standby, a lagging standby, WAL piling up, a table under an
                    // anti-wraparound vacuum, or more space than the budget stop or skip it before it starts
                    io.zerolock.gate.Decision decision = gate.check(catalog.connection(), new io.zerolock.gate.Gate
                            .Request(item.index().tableOid(), item.index().name().display(), item.index().sizeBytes()));
                    journal.gateDecision("reindex", item.index().name().display(), decision);
                    if (decision.verdict() == io.zerolock.gate.Verdict.SKIP) {
                        outcomes.add(skipped(new Prepared(item.index(), null, "not started: the gate said skip: "
                                + decision.reasons())));
                        continue;
                    }
                    if (!decision.go()) {
                        gateSaid = "the gate said " + decision.verdict().id() + ": " + decision.reasons();
                    }
                }
                if (gateSaid != null) {
                    outcomes.add(skipped(new Prepared(item.index(), null, "not started: " + gateSaid)));
                    continue;
                }
                // one target failing does not stop the others: each is tried, each outcome reported
                try {
                    outcomes.add(executeLocked(catalog, server, effective, work, executor, journal, item));
                } catch (ZerolockException failure) {
                    failures.add(failure);
                    outcomes.add(new ReindexOutcome(item.index().name(), ReindexOutcome.Status.FAILED,
                            item.plan().strategy(), item.plan(), Duration.ZERO, 0, item.index().sizeBytes(), 0,
                            failure.getMessage(), Impact.none()));
                    if (prepared.size() > 1) {
                        log.atWarn().setMessage("index failed; going on with the others")
                                .addKeyValue("index", item.index().name().display())
                                .addKeyValue("error", failure.getMessage()).log();
                    }
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "work connection failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(claimed);
        }
        if (!failures.isEmpty()) {
            throw new ReindexFailure(outcomes, failures);
        }
        if (outcomes.stream().allMatch(o -> o.status() == ReindexOutcome.Status.SKIPPED && o.message() != null
                && o.message().startsWith("not started: the gate said"))) {
            throw new ZerolockException(ErrorCode.REFUSED, "refused, nothing was changed: " + outcomes.get(0).message()
                    .substring("not started: ".length()) + " (the limits are options: see zerolock reindex --help)");
        }
        return outcomes;
    }

    /** One target, under the advisory locks of every table its plan touches, planned again from the catalog. */
    private ReindexOutcome executeLocked(CatalogReader catalog, ServerInfo server, ReindexOptions effective,
            Connection work, Executor executor, Journal journal, Prepared item) {
        // held on the catalog connection, idle during the build: a build never waits for it; every
        // table the plan touches, so no other run treats this one's VALIDATE of a child as its own
        try (TableLock lock = TableLock.acquireAll(catalog.connection(), item.tables(), effective.waitForOthers())) {
            for (Map.Entry<Long, QualifiedName> table : item.tables().entrySet()) {
                OrphanedWork.stop(catalog.connection(), table.getKey(), table.getValue(),
                        List.of(Monitor.backendPid(work)));
            }
            String target = item.index().name().display();
            new ReindexResume(connector, options).validations(journal, work, target);
            // dead runs on this index: this run's plan repairs what they left (drops leftovers, adopts a built
            // twin); once it has run, their operations get a final outcome saying so
            List<Journal.Unfinished> dead = journal.unfinished(target);
            log.atDebug().setMessage("table lock held").addKeyValue("table", item.index().table().display())
                    .addKeyValue("advisory_key", lock.key()).log();
            // another zerolock may have rebuilt it while we waited: plan from the catalog as it is now
            Optional<Prepared> fresh = catalog.relationOid(item.index().name())
                    .flatMap(oid -> new ReindexTargets(options).prepare(catalog, server, Set.of(oid), Set.of(), effective).stream().findFirst());
            if (fresh.isEmpty() || fresh.get().plan() == null) {
                return skipped(new Prepared(item.index(), null, "it was dropped or changed while zerolock waited; "
                        + "nothing was done"));
            }
            ReindexOutcome outcome = new ReindexRun(connector, options, progress).execute(work, executor, fresh.get(),
                    Monitor.backendPid(catalog.connection()), journal, estimateBefore(catalog, fresh.get()));
            for (Journal.Unfinished operation : dead) {
                journal.finish(operation.id(), "interrupted", "the run died; the next run on " + target
                        + " repaired what it left and rebuilt the index");
            }
            return outcome;
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "lost a connection: " + e.getMessage(), e);
        }
    }

    /**
     * The bloat estimate of the index as it is before its rebuild, journaled beside the size it has after,
     * so later estimates of it can learn from the difference; null when there is none (never fails a rebuild).
     */
    private io.zerolock.bloat.BloatEstimate estimateBefore(CatalogReader catalog, Prepared item) {
        if (item.index().partitioned()) {
            return null;
        }
        try {
            return new io.zerolock.bloat.BloatEstimator(catalog, options.stateSchema())
                    .uncalibrated(item.index().oid()).orElse(null);
        } catch (RuntimeException e) {
            log.atDebug().setMessage("no bloat estimate before the rebuild").addKeyValue("reason", e.getMessage())
                    .log();
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.atDebug().setMessage("release failed; it ends with the session").log();
        }
    }

    /**
     * {@code zerolock resume}: gives every journaled operation of a dead run a final outcome, finishing or
     * undoing what it left; creates nothing. See {@link ReindexResume}.
     *
     * @return one line per operation finished, saying what was done
     */
    public List<String> resumeAll() {
        return new ReindexResume(connector, options).finishDeadRuns();
    }

    /** From here on, every name the catalog prints is schema-qualified, as in the plans' session. */
    static void qualifyEverything(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = pg_catalog, pg_temp");
        }
    }

    /** {@code temp_file_limit} is a superuser setting (or granted, 15+): use it only when the role may set it. */
    private ReindexOptions permittedOptions(Connection connection) {
        if (options.tempFileLimit() == null) {
            return options;
        }
        try (var statement = connection.prepareStatement("SELECT set_config('temp_file_limit', ?, false)")) {
            statement.setString(1, options.tempFileLimit());
            statement.execute();
            try (Statement reset = connection.createStatement()) {
                reset.execute("RESET temp_file_limit");
            }
            return options;
        } catch (SQLException e) {
            log.atWarn().setMessage("not applying temp_file_limit").addKeyValue("reason", e.getMessage()).log();
            return new ReindexOptions(options.strategy(), options.lockTimeout(), options.lockAttempts(),
                    options.maintenanceWorkMem(), options.parallelWorkers(), null, options.waitForOthers(), options.watchdog(),
                    options.maxTransactionAge(), options.stateSchema(), options.gate());
        }
    }

    private static ReindexOutcome skipped(Prepared item) {
        return new ReindexOutcome(item.index().name(), ReindexOutcome.Status.SKIPPED, null, null, Duration.ZERO, 0,
                item.index().sizeBytes(), 0, item.reason(), Impact.none());
    }

    /**
     * @param tables every table the plan touches, by OID: the index's own and those of the foreign keys
     *     it re-creates and validates
     */
}

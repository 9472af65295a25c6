package io.zerolock.cleanup;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.catalog.WorkingIndexNames;
import io.zerolock.connect.Connector;
import io.zerolock.execute.Executor;
import io.zerolock.execute.FailedConcurrentBuild;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.TableLock;
import io.zerolock.execute.Watchdog;
import io.zerolock.journal.Journal;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds every invalid index in the database and decides, for each, whether it is a tool's leftover to
 * drop, a user's failed build to report (or rebuild, when asked), or something to keep. It never touches
 * a valid index, nor an index a constraint uses.
 */
public final class Cleanup {

    private Cleanup() {}

    public static LeftoverKind classify(String indexName) {
        if (WorkingIndexNames.isZerolocks(indexName)) {
            return LeftoverKind.ZEROLOCK_WORKING_INDEX;
        }
        return WorkingIndexNames.concurrentRole(indexName)
                .map(role -> role.equals("new") ? LeftoverKind.REINDEX_CONCURRENTLY_NEW
                        : LeftoverKind.REINDEX_CONCURRENTLY_OLD)
                .orElse(LeftoverKind.FAILED_BUILD);
    }

    /**
     * Every invalid index of the database (system catalogs aside), and zerolock's own valid working or
     * retired indexes, classified, with the action to take. An index whose table has a concurrent build
     * running, or that a live zerolock run is working on, is not a leftover (yet): it is kept and said so.
     */
    public static List<InvalidIndex> find(CatalogReader catalog, boolean rebuildInvalid) {
        List<InvalidIndex> found = new ArrayList<>();
        Map<Long, String> builds = catalog.concurrentBuildsInProgress();
        List<Long> oids = new ArrayList<>(catalog.invalidIndexOids());
        oids.addAll(catalog.validZerolockIndexOids());
        for (IndexDefinition index : catalog.indexes(oids)) {
            LeftoverKind kind = classify(index.name().name());
            String build = builds.getOrDefault(index.oid(), builds.get(index.tableOid()));
            Optional<String> liveRun = kind == LeftoverKind.ZEROLOCK_WORKING_INDEX
                    ? TableLock.holderOf(catalog.connection(), index.tableOid()) : Optional.empty();
            if (build != null) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.KEEP, "a concurrent build is running on "
                        + "its table (" + build + "): it may be that build's index; run cleanup again once it ends"));
            } else if (liveRun.isPresent()) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.KEEP, "a zerolock run is working on its "
                        + "table (" + liveRun.get() + ")"));
            } else if (catalog.constraintUsingIndex(index.oid()).isPresent()
                    || !catalog.foreignKeysReferencing(index.oid()).isEmpty()) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.KEEP,
                        "a constraint uses it: rebuild it with zerolock reindex instead"));
            } else if (kind.droppable()) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.DROP, null));
            } else {
                found.add(new InvalidIndex(index, kind,
                        rebuildInvalid ? InvalidIndex.Action.REBUILD : InvalidIndex.Action.REPORT, null));
            }
        }
        return found;
    }

    /** One step per index to drop or rebuild, all concurrent, drops under lock_timeout with retries. */
    public static Plan plan(List<InvalidIndex> indexes, ServerInfo server, Duration lockTimeout, int attempts) {
        LockPolicy bounded = LockPolicy.bounded(lockTimeout, attempts);
        List<Step> steps = new ArrayList<>();
        for (InvalidIndex invalid : indexes) {
            IndexDefinition index = invalid.index();
            if (invalid.action() == InvalidIndex.Action.DROP) {
                steps.add(new Step(StepKind.DROP, null, "drop:" + index.name().name(), "drop " + index.name().display() + ", "
                        + invalid.kind().description(), List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index.name().sql()),
                        LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(index.table(), index.name()), false, bounded,
                        List.of(), false));
            } else if (invalid.action() == InvalidIndex.Action.REBUILD && server.major() >= 12) {
                steps.add(new Step(StepKind.REINDEX, null, "rebuild:" + index.name().name(), "rebuild " + index.name().display()
                        + " (a failed build) with REINDEX CONCURRENTLY",
                        List.of("REINDEX INDEX CONCURRENTLY " + index.name().sql()), LockMode.SHARE_UPDATE_EXCLUSIVE,
                        List.of(index.table(), index.name()), false, LockPolicy.concurrentBuild(), List.of(), false));
            }
        }
        String target = indexes.size() == 1 ? indexes.get(0).index().name().display() : "invalid indexes";
        return new Plan(target, "cleanup", steps, List.of(), bounded);
    }

    /**
     * Finds, then (unless {@code dryRun}) drops or rebuilds, one plan per index so one failure does not stop
     * the rest; a table another zerolock holds is skipped, since its working index is invalid while built.
     * Each plan is journaled in {@code stateSchema} as a {@code cleanup} operation, with its impact.
     */
    public static List<CleanupOutcome> run(CatalogReader catalog, Connector connector, boolean rebuildInvalid,
            boolean dryRun, Duration lockTimeout, int attempts, String stateSchema) {
        List<InvalidIndex> found = find(catalog, rebuildInvalid);
        List<CleanupOutcome> outcomes = new ArrayList<>();
        if (dryRun) {
            found.forEach(invalid -> outcomes.add(new CleanupOutcome(invalid, false, null, null)));
            return outcomes;
        }
        List<Plan> plans = found.stream().map(invalid -> plan(List.of(invalid), catalog.server(), lockTimeout,
                attempts)).toList();
        if (plans.stream().allMatch(plan -> plan.steps().isEmpty())) {
            found.forEach(invalid -> outcomes.add(new CleanupOutcome(invalid, false, null, null)));
            return outcomes;
        }
        AutoCloseable claimed = null;
        try (Connection work = connector.open("work");
                Journal journal = Journal.openOrWarn(() -> connector.open("journal"), stateSchema)) {
            Executor executor = new Executor(work).journaledBy(journal);
            claimed = io.zerolock.execute.OrphanedWork.claim(catalog.connection(), Monitor.backendPid(work));
            for (int i = 0; i < found.size(); i++) {
                InvalidIndex invalid = found.get(i);
                Plan plan = plans.get(i);
                if (io.zerolock.execute.Stop.requested() != null) {
                    outcomes.add(new CleanupOutcome(invalid, false, null, "not started: stopped by "
                            + io.zerolock.execute.Stop.requested()));
                    continue;
                }
                if (plan.steps().isEmpty()) {
                    outcomes.add(new CleanupOutcome(invalid, false, null, null));
                    continue;
                }
                TableLock lock;
                try {
                    // a running zerolock's working index is invalid while it is built: never drop it under it
                    lock = TableLock.acquire(catalog.connection(), invalid.index().tableOid(), invalid.index().table(),
                            Duration.ZERO);
                } catch (ZerolockException busy) {
                    outcomes.add(new CleanupOutcome(invalid, false, null, busy.getMessage()));
                    continue;
                }
                try (lock) {
                    outcomes.add(runOne(connector, work, executor, journal, invalid, plan,
                            Monitor.backendPid(catalog.connection())));
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "work connection failed: " + e.getMessage(), e);
        } finally {
            if (claimed != null) {
                try {
                    claimed.close();
                } catch (Exception e) {
                    // the claim ends with the session anyway
                }
            }
        }
        return outcomes;
    }

    private static CleanupOutcome runOne(Connector connector, Connection work, Executor executor, Journal journal,
            InvalidIndex invalid, Plan plan, int catalogPid) throws SQLException {
        IndexDefinition index = invalid.index();
        journal.operationStarted("cleanup", plan, index.oid(), index.tableOid(), index.sizeBytes());
        try (Monitor monitor = new Monitor(connector.open("monitor"), Monitor.backendPid(work),
                new int[] {Monitor.backendPid(work), catalogPid}, Watchdog.defaults(), index.name().display(),
                progress -> { })) {
            executor.watchedBy(monitor);
            List<Long> invalidBefore = FailedConcurrentBuild.invalidIndexes(work, index.tableOid());
            try {
                executor.run(plan);
                if (invalid.action() == InvalidIndex.Action.DROP && exists(work, index.oid())) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "the drop ran but the index is still "
                            + "there");
                }
                journal.operationEnded("done", null, 0, monitor.impact());
                return new CleanupOutcome(invalid, true, null, null);
            } catch (ZerolockException e) {
                String error = e.getMessage();
                if (invalid.action() == InvalidIndex.Action.REBUILD) {
                    // a failed REINDEX CONCURRENTLY leaves its own _ccnew: drop it, say what was found
                    error = e.getMessage() + "; " + FailedConcurrentBuild.dropLeftovers(work, index.tableOid(),
                            invalidBefore, plan.undoPolicy()) + "; " + index.name().display() + " is still invalid";
                }
                boolean stopped = e.code() == ErrorCode.INTERRUPTED;
                journal.operationEnded(stopped ? "interrupted" : "failed", error, 0, monitor.impact());
                return new CleanupOutcome(invalid, false, error, null);
            } finally {
                executor.watchedBy(null);
            }
        }
    }

    private static boolean exists(Connection connection, long oid) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_class WHERE oid = ?")) {
            statement.setLong(1, oid);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}

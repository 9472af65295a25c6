package io.zerolock.reindex;

import io.zerolock.ErrorCode;
import io.zerolock.ProgressListener;
import io.zerolock.Sizes;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.connect.Connector;
import io.zerolock.execute.Executor;
import io.zerolock.execute.FailedConcurrentBuild;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.WatchedRun;
import io.zerolock.execute.StepResult;
import io.zerolock.journal.Journal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One reindex target's run, once its tables are locked: the plan executed, journaled and watched. */
final class ReindexRun {

    private static final Logger log = LoggerFactory.getLogger(ReindexRun.class);

    private final Connector connector;
    private final ReindexOptions options;
    private final ProgressListener progress;

    ReindexRun(Connector connector, ReindexOptions options, ProgressListener progress) {
        this.connector = connector;
        this.options = options;
        this.progress = progress;
    }

    /**
     * Runs one target's plan: journaled, watched by the lock monitor (impact, watchdog, progress), a failed
     * native rebuild's {@code _ccnew} dropped; returns its outcome or throws what failed.
     */
    ReindexOutcome execute(Connection work, Executor executor, Prepared item, int catalogPid,
            Journal journal, io.zerolock.bloat.BloatEstimate estimate) {
        long started = System.nanoTime();
        if (item.plan().strategy().equals(Strategy.SWAP.id())
                && item.plan().steps().stream().noneMatch(step -> step.kind() == io.zerolock.plan.StepKind.BUILD)) {
            log.atInfo().setMessage("an interrupted run finished building the working index; swapping it in")
                    .addKeyValue("index", item.index().name().display()).log();
        }
        log.atInfo().setMessage("rebuilding index").addKeyValue("index", item.index().name().display())
                .addKeyValue("strategy", item.plan().strategy())
                .addKeyValue("old_size", Sizes.pretty(item.index().sizeBytes())).log();
        List<Long> invalidBefore = FailedConcurrentBuild.invalidIndexes(work, item.index().tableOid());
        journal.operationStarted("reindex", item.plan(), item.index().oid(), item.index().tableOid(),
                item.index().sizeBytes());
        if (estimate != null && estimate.sizeAfterBytes() != null) {
            journal.estimated(estimate.sizeAfterBytes(), estimate.method().id());
        }
        int workPid;
        try {
            workPid = Monitor.backendPid(work);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "lost the work connection: " + e.getMessage(), e);
        }
        WatchedRun.Result<List<StepResult>> run = new WatchedRun(connector, options.watchdog(), progress).run(
                executor, workPid, new int[] {workPid, catalogPid}, "index", item.index().name().display(),
                () -> executor.run(item.plan()));
        if (run.failed()) {
            ZerolockException reported = run.failure();
            if (item.plan().strategy().equals(Strategy.NATIVE.id())) {
                String leftovers = FailedConcurrentBuild.dropLeftovers(work, item.index().tableOid(), invalidBefore,
                        io.zerolock.plan.LockPolicy.bounded(options.lockTimeout(), options.lockAttempts()));
                reported = new ZerolockException(reported.code(), reported.getMessage() + "; " + leftovers,
                        reported.getCause());
            }
            journal.operationEnded(WatchedRun.outcomeOf(reported), reported.getMessage(), 0, run.impact());
            throw reported;
        }
        List<StepResult> results = run.value();
        Impact impact = run.impact();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int retries = results.stream().mapToInt(StepResult::retries).sum();
        long newSize = sizeOf(work, item.index());
        journal.operationEnded("done", null, newSize, impact);
        log.atInfo().setMessage("done").addKeyValue("index", item.index().name().display())
                .addKeyValue("strategy", item.plan().strategy()).addKeyValue("duration_ms", took.toMillis())
                .addKeyValue("retries", retries).addKeyValue("old_size", Sizes.pretty(item.index().sizeBytes()))
                .addKeyValue("new_size", Sizes.pretty(newSize)).log();
        return new ReindexOutcome(item.index().name(), ReindexOutcome.Status.DONE, item.plan().strategy(), item.plan(), took,
                retries, item.index().sizeBytes(), newSize, null, impact);
    }

    private static long sizeOf(Connection connection, IndexDefinition index) {
        String sql = index.partitioned()
                ? "SELECT coalesce(sum(pg_relation_size(inhrelid)), 0) FROM pg_partition_tree(to_regclass(?)) t "
                        + "JOIN pg_inherits i ON i.inhrelid = t.relid WHERE t.isleaf"
                : "SELECT pg_relation_size(to_regclass(?))";
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, index.name().sql());
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            return 0;
        }
    }
}

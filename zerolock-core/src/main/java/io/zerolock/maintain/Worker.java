package io.zerolock.maintain;

import io.zerolock.ConnectionTarget;
import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.gate.Decision;
import io.zerolock.gate.Gate;
import io.zerolock.journal.Journal;
import io.zerolock.queue.Queue;
import io.zerolock.queue.QueueRunner;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of maintenance over one database, for cron, a Kubernetes CronJob or a systemd timer: take the
 * database's lease (or leave it to the worker that has it), ask the gate, finish what interrupted runs
 * left, run the async queue's due items, then rebuild the bloated indexes worth it, inside the window, one at
 * a time.
 */
public final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** What a pass does: which indexes, when, with which limits (the gate's are in the reindex options). */
    public record Settings(Selection.Criteria criteria, Window window, ReindexOptions options) {}

    public enum Status {
        /** The pass ran: it rebuilt what it chose (maybe nothing). */
        DONE,
        /** Another worker holds the database's lease. */
        LEASED,
        /** The gate said wait or stop. */
        GATE,
        /** The window is closed. */
        OUTSIDE_WINDOW,
        /** The database could not be reached, or a rebuild failed. */
        FAILED
    }

    /**
     * What one pass did, for the report.
     *
     * @param queued the queue's items it ran or left (queued items come before bloat rebuilds)
     */
    public record Pass(String database, Status status, String message, List<String> resumed,
            List<QueueRunner.Outcome> queued, List<ReindexOutcome> outcomes, List<String> notStarted) {

        public Pass {
            resumed = List.copyOf(resumed);
            queued = List.copyOf(queued);
            outcomes = List.copyOf(outcomes);
            notStarted = List.copyOf(notStarted);
        }

        static Pass of(String database, Status status, String message) {
            return new Pass(database, status, message, List.of(), List.of(), List.of(), List.of());
        }
    }

    private Worker() {}

    /** One pass over the database {@code target} names, shown as {@code database}. Never throws. */
    public static Pass once(String database, ConnectionTarget target, Settings settings) {
        try (Connection leaseConnection = DriverManager.getConnection(target.withApplicationName(
                "zerolock worker").jdbcUrl(), target.withApplicationName("zerolock worker").jdbcProperties())) {
            leaseConnection.setAutoCommit(true);
            String[] holder = new String[1];
            Optional<WorkerLease> lease = WorkerLease.take(leaseConnection, settings.options().stateSchema(), holder);
            if (lease.isEmpty()) {
                log.atInfo().setMessage("another worker holds the lease; leaving the database to it")
                        .addKeyValue("database", database).addKeyValue("holder", holder[0]).log();
                return Pass.of(database, Status.LEASED, "another worker holds the lease: " + holder[0]);
            }
            try (Zerolock zerolock = Zerolock.connect(target)) {
                return pass(database, zerolock, settings);
            } finally {
                lease.get().close();
            }
        } catch (SQLException e) {
            log.atWarn().setMessage("cannot reach the database").addKeyValue("database", database)
                    .addKeyValue("error", e.getMessage()).log();
            return Pass.of(database, Status.FAILED, "cannot reach it: " + e.getMessage());
        } catch (ZerolockException e) {
            log.atWarn().setMessage("pass failed").addKeyValue("database", database)
                    .addKeyValue("error", e.getMessage()).log();
            return Pass.of(database, Status.FAILED, e.getMessage());
        }
    }

    private static Pass pass(String database, Zerolock zerolock, Settings settings) {
        ReindexOptions options = settings.options();
        Decision decision = new Gate(options.gate()).check(zerolock.catalog().connection(), Gate.Request.server());
        try (Journal journal = Journal.openOrWarn(() -> open(zerolock.target()), options.stateSchema())) {
            journal.gateDecision("worker", database, decision);
        }
        if (!decision.go()) {
            return Pass.of(database, Status.GATE, "the gate said " + decision.verdict().id() + ": "
                    + decision.reasons());
        }
        List<String> resumed = new ArrayList<>(zerolock.resume(options));
        List<QueueRunner.Outcome> queued = List.of();
        if (Queue.exists(zerolock.catalog().connection(), options.stateSchema())) {
            try (Queue queue = zerolock.queue(options.stateSchema())) {
                queued = zerolock.runQueue(queue, settings.window(), options, progress -> { },
                        java.time.Clock.systemUTC());
            }
        }
        List<String> notStarted = new ArrayList<>();
        queued.stream().filter(outcome -> outcome.status() == QueueRunner.Status.NOT_STARTED)
                .forEach(outcome -> notStarted.add(outcome.item().qualifiedName() + " (queued): "
                        + outcome.message()));
        List<QueueRunner.Outcome> queueFailures = queued.stream().filter(outcome -> outcome.status()
                == QueueRunner.Status.FAILED || outcome.status() == QueueRunner.Status.RETRY).toList();
        long built = queued.stream().filter(outcome -> outcome.status() == QueueRunner.Status.DONE).count();
        BloatedRebuild.Run run = zerolock.reindexBloated(null, null, settings.criteria(), settings.window(), options,
                false, "worker");
        notStarted.addAll(run.notStarted());
        boolean closed = settings.window() != null && settings.window().closesAt(java.time.Instant.now()).isEmpty()
                && run.outcomes().isEmpty() && built == 0;
        boolean failed = !run.failures().isEmpty() || !queueFailures.isEmpty();
        Status status = failed ? Status.FAILED : closed ? Status.OUTSIDE_WINDOW : Status.DONE;
        long rebuilt = run.outcomes().stream().filter(o -> o.status() == ReindexOutcome.Status.DONE).count();
        String message = !queueFailures.isEmpty() ? "queued " + queueFailures.get(0).item().qualifiedName() + " "
                + (queueFailures.get(0).status() == QueueRunner.Status.FAILED ? "failed" : "failed, to be retried")
                + ": " + queueFailures.get(0).message()
                : !run.failures().isEmpty() ? run.failures().get(0).getMessage()
                : closed ? "the window is " + run.window()
                : built == 0 && rebuilt == 0 ? "nothing queued, nothing worth rebuilding"
                : (built == 0 ? "" : "ran " + built + " queued item(s)" + (rebuilt == 0 ? "" : "; "))
                        + (rebuilt == 0 ? "" : "rebuilt " + rebuilt + " index(es)");
        return new Pass(database, status, message, resumed, queued, run.outcomes(), notStarted);
    }

    private static Connection open(ConnectionTarget target) {
        try {
            Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new ZerolockException(io.zerolock.ErrorCode.OPERATION_FAILED, "cannot open the journal: "
                    + e.getMessage(), e);
        }
    }
}

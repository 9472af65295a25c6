package io.zerolock.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A monitoring connection beside the work connection, outside any transaction. Every 150 ms it records
 * which sessions wait on locks held (or requested ahead of them) by zerolock's backends; once a second,
 * while a concurrent build runs, it checks what the build itself waits for, names those sessions past
 * the watchdog's warning threshold, and cancels the build past its maximum wait.
 */
public final class Monitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitor.class);
    private static final long SAMPLE_MILLIS = 150;

    private final Connection connection;
    private final int[] ourPids;
    private final int workPid;
    private final Watchdog watchdog;
    private final String index;
    private final io.zerolock.ProgressListener progress;
    private volatile long stepStartedNanos = System.nanoTime();
    private final AtomicReference<String> step = new AtomicReference<>("-");
    private final AtomicReference<Boolean> buildRunning = new AtomicReference<>(false);
    private final Map<String, long[]> waits = new HashMap<>();
    private final Map<String, String> waitSteps = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String cancelledBecause;
    private long buildWaitingSince;
    private boolean warned;

    /**
     * @param connection a connection of its own, autocommit; closed with the monitor
     * @param workPid the backend that runs the steps
     * @param ourPids every backend of this zerolock run (work, catalog)
     */
    public Monitor(Connection connection, int workPid, int[] ourPids, Watchdog watchdog, String index,
            io.zerolock.ProgressListener progress) {
        this.connection = connection;
        this.workPid = workPid;
        this.ourPids = ourPids.clone();
        this.watchdog = watchdog;
        this.index = index;
        this.progress = progress;
        this.thread = new Thread(this::loop, "zerolock-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    public static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** Called by the executor as steps start; concurrent builds are watched. */
    public void stepStarted(String name, boolean concurrentBuild) {
        progress.stepStarted(index, name);
        String previous = step.getAndSet(name);
        if (buildRunning.get()) {
            progress.stepFinished(previous);
        }
        stepStartedNanos = System.nanoTime();
        synchronized (this) {
            buildRunning.set(concurrentBuild);
            buildWaitingSince = 0;
            warned = false;
        }
    }

    /** Why the watchdog cancelled the build, if it did. */
    public String cancelledBecause() {
        return cancelledBecause;
    }

    public Impact impact() {
        synchronized (waits) {
            long max = 0;
            long total = 0;
            String maxStep = null;
            for (Map.Entry<String, long[]> wait : waits.entrySet()) {
                long millis = wait.getValue()[1];
                total += millis;
                if (millis > max || maxStep == null) {
                    max = Math.max(max, millis);
                    maxStep = waitSteps.get(wait.getKey());
                }
            }
            return waits.isEmpty() ? Impact.none() : new Impact(waits.size(), max, total, maxStep);
        }
    }

    private volatile int samples;
    private volatile long sampleNanos;

    /** What watching cost: how many samples, and how long their queries took in all (round trips included). */
    public record Cost(int samples, long queryMillis) {}

    public Cost cost() {
        return new Cost(samples, sampleNanos / 1_000_000);
    }

    private void loop() {
        long lastWatch = 0;
        while (running) {
            try {
                long started = System.nanoTime();
                sampleBlocked();
                if (System.nanoTime() - lastWatch > 1_000_000_000L) {
                    lastWatch = System.nanoTime();
                    watchBuild();
                }
                samples++;
                sampleNanos += System.nanoTime() - started;
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                if (running) {
                    log.atDebug().setMessage("monitor sample failed").addKeyValue("error", e.getMessage()).log();
                }
            }
        }
    }

    /** Sessions waiting for a lock that one of our backends holds or requested ahead of them. */
    private void sampleBlocked() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.pid || ':' || coalesce(a.xact_start::text, '') || ':' || coalesce(a.query_start::text, ''),
                       (extract(epoch FROM clock_timestamp() - coalesce(
                           (SELECT max(l.waitstart) FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted),
                           a.state_change)) * 1000)::bigint
                FROM pg_stat_activity a
                WHERE a.wait_event_type = 'Lock' AND a.pid <> ALL(?) AND pg_blocking_pids(a.pid) && ?
                """.replace("max(l.waitstart)", waitstartColumn()))) {
            java.sql.Array pids = connection.createArrayOf("int4", box(ourPids));
            statement.setArray(1, pids);
            statement.setArray(2, pids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String key = rows.getString(1);
                    long waited = Math.max(0, rows.getLong(2));
                    synchronized (waits) {
                        long[] seen = waits.computeIfAbsent(key, k -> new long[] {System.nanoTime(), 0});
                        seen[1] = Math.max(seen[1], waited);
                        waitSteps.putIfAbsent(key, step.get());
                    }
                }
            }
        }
    }

    private String waitstartColumn;

    /** {@code pg_locks.waitstart} exists from PostgreSQL 14; before, the wait counts from the state change. */
    private String waitstartColumn() throws SQLException {
        if (waitstartColumn == null) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rows.next();
                waitstartColumn = rows.getInt(1) >= 140000 ? "max(l.waitstart)" : "NULL::timestamptz";
            }
        }
        return waitstartColumn;
    }

    /** While a concurrent build runs: how far is it, what does it wait for, and for how long? */
    private void watchBuild() throws SQLException {
        if (!buildRunning.get()) {
            return;
        }
        reportProgress();
        List<String> blockers = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT b.pid, coalesce(nullif(b.application_name, ''), '-'), coalesce(b.usename::text, '-'),
                       coalesce(b.state, '-'),
                       coalesce((extract(epoch FROM clock_timestamp() - b.xact_start))::bigint, 0),
                       left(regexp_replace(coalesce(b.query, ''), '\\s+', ' ', 'g'), 120)
                FROM pg_stat_activity b
                WHERE b.pid = ANY(pg_blocking_pids(?))
                ORDER BY b.xact_start
                """)) {
            statement.setInt(1, workPid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    blockers.add("pid=" + rows.getInt(1) + " application_name=" + rows.getString(2) + " user="
                            + rows.getString(3) + " state=\"" + rows.getString(4) + "\" xact_age_s=" + rows.getLong(5)
                            + " query=\"" + rows.getString(6) + "\"");
                }
            }
        }
        synchronized (this) {
            if (blockers.isEmpty()) {
                buildWaitingSince = 0;
                return;
            }
            if (buildWaitingSince == 0) {
                buildWaitingSince = System.nanoTime();
                return;
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - buildWaitingSince);
            if (!warned && waited.compareTo(watchdog.warnAfter()) >= 0) {
                warned = true;
                for (String blocker : blockers) {
                    log.atWarn().setMessage("the build waits for another session (old snapshot or lock)")
                            .addKeyValue("step", step.get()).addKeyValue("waited_s", waited.toSeconds())
                            .addKeyValue("blocker", blocker).log();
                }
            }
            if (watchdog.maxWait() != null && waited.compareTo(watchdog.maxWait()) >= 0 && cancelledBecause == null) {
                cancelledBecause = "the build waited " + waited.toSeconds() + " s (--max-wait "
                        + watchdog.maxWait().toSeconds() + " s) for: " + String.join("; ", blockers);
                log.atError().setMessage("cancelling our own build").addKeyValue("reason", cancelledBecause).log();
                try (PreparedStatement cancel = connection.prepareStatement("SELECT pg_cancel_backend(?)")) {
                    cancel.setInt(1, workPid);
                    cancel.execute();
                }
            }
        }
    }

    private Boolean hasProgressView;

    private void reportProgress() throws SQLException {
        if (hasProgressView == null) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rows.next();
                hasProgressView = rows.getInt(1) >= 120000;
            }
        }
        if (!hasProgressView) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT phase, blocks_done, blocks_total, "
                + "tuples_done, tuples_total FROM pg_stat_progress_create_index WHERE pid = ?")) {
            statement.setInt(1, workPid);
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next() && buildRunning.get()) {
                    progress.progress(new io.zerolock.ProgressListener.Progress(index, step.get(), rows.getString(1),
                            rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5),
                            Duration.ofNanos(System.nanoTime() - stepStartedNanos)));
                }
            }
        }
    }

    private static Integer[] box(int[] values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    @Override
    public void close() {
        if (buildRunning.get()) {
            progress.stepFinished(step.get());
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.atDebug().setMessage("monitor cost").addKeyValue("samples", samples)
                .addKeyValue("query_ms", sampleNanos / 1_000_000).log();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to release
        }
    }
}

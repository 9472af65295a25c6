package io.zerolock.execute;

import io.zerolock.ErrorCode;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.SettingValues;
import io.zerolock.plan.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole-table UPDATE run in key ranges, each range its own short transaction under the step's lock
 * policy, sized so that a batch takes about the target time; paused while a standby lags or a transaction
 * has been open too long; its progress written inside each batch's transaction, so a run that dies is
 * resumed from the last range that committed. A step of kind BACKFILL carries two statements: the range
 * query ({@code SELECT min(key), max(key) FROM table}, or a lower bound instead of {@code min} when
 * resuming) and the UPDATE with {@value #FROM} and {@value #TO} where the range goes.
 */
public final class Backfill {

    private static final Logger log = LoggerFactory.getLogger(Backfill.class);

    /** Where the range's first key goes in the UPDATE's text. */
    public static final String FROM = "{from}";
    /** Where the key just past the range goes. */
    public static final String TO = "{to}";

    /** Test-only: system property naming a batch count after which the run stops dead, as if killed. */
    public static final String HALT_AFTER_BATCHES = "zerolock.test.halt-after-batches";

    private static final long FIRST_BATCH = 1000;
    private static final long MAX_BATCH = 10_000_000;
    private static final Duration PAUSE = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /**
     * @param batchTarget how long one batch should take; the batch size follows it
     * @param maxReplicaLag pause while a standby's replay lag ({@code pg_stat_replication.replay_lag}) is
     *     longer; PostgreSQL measures it only as the standby's replay moves
     * @param maxReplicaLagBytes pause while a standby has replayed less than this far behind the primary's
     *     WAL: what catches a standby whose replay is paused or stuck
     * @param maxTransactionAge pause while another transaction has been open longer (its snapshot keeps
     *     the dead rows the backfill makes from being vacuumed)
     * @param rest after each batch, rest this many times as long as the batch took (0: none): what leaves the
     *     server's disk and CPU to the application between batches
     */
    public record Throttle(Duration batchTarget, Duration maxReplicaLag, long maxReplicaLagBytes,
            Duration maxTransactionAge, double rest) {

        public Throttle(Duration batchTarget, Duration maxReplicaLag, long maxReplicaLagBytes,
                Duration maxTransactionAge) {
            this(batchTarget, maxReplicaLag, maxReplicaLagBytes, maxTransactionAge, 0);
        }

        public Throttle {
            if (!(rest >= 0 && rest <= 100)) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--batch-rest must be between 0 and 100, got "
                        + rest);
            }
            if (maxReplicaLagBytes < 1) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "--max-replica-bytes must be at least 1 byte");
            }
            SettingValues.requirePositive("--batch-time", Objects.requireNonNull(batchTarget, "batchTarget"));
            SettingValues.requirePositive("--max-replica-lag", Objects.requireNonNull(maxReplicaLag, "maxReplicaLag"));
            SettingValues.requirePositive("--pause-xact-age", Objects.requireNonNull(maxTransactionAge,
                    "maxTransactionAge"));
        }

        public static Throttle defaults() {
            return new Throttle(Duration.ofMillis(200), Duration.ofSeconds(10), 1L << 30, Duration.ofMinutes(10), 0);
        }
    }

    /** The key range of a table: {@code SELECT min(key), max(key) FROM table}. */
    public static String rangeQuery(String table, String quotedKey) {
        return "SELECT min(" + quotedKey + "), max(" + quotedKey + ") FROM " + table;
    }

    /** The same range query, starting at {@code from} (where an interrupted run had got to). */
    public static String resumedAt(String rangeQuery, long from) {
        return rangeQuery.replaceFirst("^SELECT min\\((.*?)\\), ", "SELECT greatest(min($1), " + from + "), ");
    }

    /** The UPDATE of every row, made a range's: {@code WHERE key >= {from} AND key < {to}} appended. */
    public static String template(String update, String quotedKey) {
        return update + " WHERE " + quotedKey + " >= " + FROM + " AND " + quotedKey + " < " + TO;
    }

    private Backfill() {}

    /**
     * Runs the backfill step to its end, or throws: a lock it could not get within its policy, a stop asked
     * for, a failed batch. Every batch that committed stays committed (and recorded).
     */
    static StepResult run(Connection connection, Step step, LockPolicy policy, Throttle throttle,
            StepListener listener, int position, Executor.Sleeper sleeper, java.util.Random jitter) {
        long started = System.nanoTime();
        String rangeQuery = step.statements().get(0);
        String template = step.statements().get(1);
        long[] range;
        try {
            range = range(connection, rangeQuery);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "step " + step.name() + " could not read its key "
                    + "range: " + e.getMessage(), e);
        }
        if (range == null) {
            log.atInfo().setMessage("backfill: no rows").addKeyValue("step", step.name()).log();
            return new StepResult(step.name(), 1, Duration.ofNanos(System.nanoTime() - started));
        }
        long from = range[0];
        long last = range[1];
        long size = FIRST_BATCH;
        long rows = 0;
        int batches = 0;
        int retries = 0;
        int pauses = 0;
        long lastProgress = System.nanoTime();
        log.atInfo().setMessage("backfill started").addKeyValue("step", step.name()).addKeyValue("from", from)
                .addKeyValue("to", last).log();
        while (from <= last) {
            if (Stop.requested() != null) {
                throw new ZerolockException(ErrorCode.INTERRUPTED, "stopped by " + Stop.requested() + " during "
                        + "backfill " + step.name() + " at key " + from + " of " + last + "; the next run goes on from "
                        + "there");
            }
            pauses += waitUntilHealthy(connection, throttle, step, sleeper, listener, position);
            long to = from + size > last || from + size < from ? last + 1 : from + size;
            String sql = template.replace(FROM, Long.toString(from)).replace(TO, Long.toString(to));
            long batchStarted = System.nanoTime();
            int updated = 0;
            for (int attempt = 1; ; attempt++) {
                try {
                    updated = batch(connection, sql, policy, listener == null ? null
                            : listener.progressMarker(position, to));
                    break;
                } catch (SQLException e) {
                    boolean lockTrouble = SqlState.LOCK_NOT_AVAILABLE.equals(e.getSQLState())
                            || SqlState.DEADLOCK_DETECTED.equals(e.getSQLState());
                    if (!lockTrouble || attempt >= policy.attempts()) {
                        throw new ZerolockException(ErrorCode.OPERATION_FAILED, "backfill " + step.name() + " failed "
                                + "at keys " + from + " to " + to + " (" + rows + " rows done before, kept; the next "
                                + "run goes on from key " + from + "): " + e.getMessage().strip().replaceAll(
                                        "\\s*\\R\\s*", "; "), e);
                    }
                    retries++;
                    try {
                        Duration backoff = policy.backoffBefore(attempt + 1);
                        sleeper.sleep(Duration.ofMillis(backoff.toMillis() / 2
                                + (long) (jitter.nextDouble() * (backoff.toMillis() / 2.0))));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new ZerolockException(ErrorCode.INTERRUPTED, "interrupted during backfill "
                                + step.name(), interrupted);
                    }
                }
            }
            long took = Math.max(1, System.nanoTime() - batchStarted);
            rows += updated;
            batches++;
            if (String.valueOf(batches).equals(System.getProperty(HALT_AFTER_BATCHES))) {
                throw new Executor.HaltedForTest(step.name() + " after " + batches + " batches");
            }
            from = to;
            if (throttle.rest() > 0 && from <= last) {
                try {
                    sleeper.sleep(Duration.ofNanos((long) (took * throttle.rest())));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ZerolockException(ErrorCode.INTERRUPTED, "interrupted during backfill " + step.name(),
                            interrupted);
                }
            }
            // the next range takes about the target time: grown or shrunk by what this one took, within 4x
            double scale = (double) throttle.batchTarget().toNanos() / took;
            size = Math.max(1, Math.min(MAX_BATCH, (long) (size * Math.max(0.25, Math.min(4.0, scale)))));
            if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
                lastProgress = System.nanoTime();
                double done = last == range[0] ? 1 : (double) (from - range[0]) / (last - range[0] + 1);
                long elapsed = System.nanoTime() - started;
                long eta = done <= 0 ? 0 : (long) (elapsed / done - elapsed) / 1_000_000_000L;
                log.atInfo().setMessage("backfill progress").addKeyValue("step", step.name())
                        .addKeyValue("rows", rows).addKeyValue("key", from).addKeyValue("of", last)
                        .addKeyValue("done", String.format(Locale.ROOT, "%.0f%%", done * 100))
                        .addKeyValue("eta_s", eta).addKeyValue("batch", size).log();
            }
        }
        String summary = rows + " rows in " + batches + " batches" + (retries == 0 ? "" : ", " + retries + " retries")
                + (pauses == 0 ? "" : ", paused " + pauses + " times");
        log.atInfo().setMessage("backfill done").addKeyValue("step", step.name()).addKeyValue("summary", summary)
                .log();
        if (listener != null) {
            listener.stepNote(position, summary);
        }
        return new StepResult(step.name(), 1 + retries, Duration.ofNanos(System.nanoTime() - started));
    }

    private static long[] range(Connection connection, String rangeQuery) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(rangeQuery)) {
            rows.next();
            long min = rows.getLong(1);
            boolean empty = rows.wasNull();
            long max = rows.getLong(2);
            return empty || rows.wasNull() || min > max ? null : new long[] {min, max};
        }
    }

    /** One range in one short transaction, with its progress recorded inside it; the rows it updated. */
    private static int batch(Connection connection, String sql, LockPolicy policy, String marker)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            Stop.running(statement);
            statement.execute("BEGIN");
            try {
                statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeout().toMillis() + "ms'");
                statement.execute("SET LOCAL statement_timeout = '" + policy.statementTimeout().toMillis() + "ms'");
                int updated = statement.executeUpdate(sql);
                if (marker != null) {
                    statement.execute(marker);
                }
                statement.execute("COMMIT");
                return updated;
            } catch (SQLException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException ignored) {
                    // the connection is gone: the server rolled back
                }
                throw e;
            } finally {
                Stop.running(null);
            }
        }
    }

    /** Waits while a standby lags or a transaction is too old; returns how many times it paused. */
    private static int waitUntilHealthy(Connection connection, Throttle throttle, Step step,
            Executor.Sleeper sleeper, StepListener listener, int position) {
        int pauses = 0;
        long lastSaid = 0;
        while (true) {
            String reason;
            try {
                reason = unhealthy(connection, throttle);
            } catch (SQLException e) {
                throw new ZerolockException(ErrorCode.OPERATION_FAILED, "backfill " + step.name() + " could not "
                        + "read the server's health: " + e.getMessage(), e);
            }
            if (reason == null) {
                return pauses;
            }
            if (pauses == 0 || System.nanoTime() - lastSaid > 10_000_000_000L) {
                lastSaid = System.nanoTime();
                log.atWarn().setMessage("backfill paused").addKeyValue("step", step.name())
                        .addKeyValue("because", reason).log();
                if (listener != null) {
                    listener.stepNote(position, "paused: " + reason);
                }
            }
            pauses++;
            if (Stop.requested() != null) {
                return pauses;
            }
            try {
                sleeper.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZerolockException(ErrorCode.INTERRUPTED, "interrupted while the backfill was paused", e);
            }
        }
    }

    /** Why the backfill should wait now, or null. */
    private static String unhealthy(Connection connection, Throttle throttle) throws SQLException {
        io.zerolock.gate.ServerHealth health = io.zerolock.gate.ServerHealth.read(connection, null);
        long lag = health.replicaLagMillis();
        long behind = health.replicaBytesBehind();
        long age = health.oldestTransaction().map(io.zerolock.gate.ServerHealth.OldTransaction::ageMillis)
                .orElse(0L);
        if (lag > throttle.maxReplicaLag().toMillis()) {
            return "a standby's replay lag is " + lag + " ms (--max-replica-lag " + throttle.maxReplicaLag()
                    .toMillis() + " ms)";
        }
        if (behind > throttle.maxReplicaLagBytes()) {
            return "a standby has " + behind + " bytes of WAL left to replay (--max-replica-bytes "
                    + throttle.maxReplicaLagBytes() + ")";
        }
        if (age > throttle.maxTransactionAge().toMillis()) {
            return "a transaction has been open " + age / 1000 + " s (--pause-xact-age "
                    + throttle.maxTransactionAge().toSeconds() + " s): vacuum cannot clean behind the backfill";
        }
        return null;
    }
}

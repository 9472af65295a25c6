package io.zerolock.execute;

import io.zerolock.ErrorCode;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plans: the only place that changes the database. Every step that takes a lock stronger than
 * SHARE UPDATE EXCLUSIVE runs under {@code lock_timeout} and is retried with exponential backoff and
 * jitter, never with a final untimed attempt. Concurrent builds run with {@code statement_timeout = 0}
 * and no {@code lock_timeout}. The connection is autocommit between steps, so it never holds a
 * transaction or snapshot while a build runs.
 */
public final class Executor {

    private static final Logger log = LoggerFactory.getLogger(Executor.class);

    private final Connection connection;
    private final Random jitter;
    private final Sleeper sleeper;
    private Monitor monitor;
    private StepListener listener;
    private boolean stoppable = true;
    private Backfill.Throttle throttle = Backfill.Throttle.defaults();
    /** The position of the step running now in its operation, for what the journal is told of its waits. */
    private int position;

    /** Waits between attempts; a seam so tests need not sleep for real. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public Executor(Connection connection) {
        this(connection, new Random(), duration -> Thread.sleep(duration.toMillis()));
    }

    public Executor(Connection connection, Random jitter, Sleeper sleeper) {
        this.connection = connection;
        this.jitter = jitter;
        this.sleeper = sleeper;
    }

    /**
     * Not stopped by a {@link Stop} request: for the clean-up that a failure or a stop itself needs (drop
     * what a failed build left), which runs to its end, bounded by its own lock policy.
     */
    public Executor unstoppable() {
        this.stoppable = false;
        return this;
    }

    /** Reports step starts to this monitor, which may cancel a build that waits too long. */
    public Executor watchedBy(Monitor newMonitor) {
        this.monitor = newMonitor;
        return this;
    }

    /**
     * Has each transactional step mark itself committed inside its own transaction (the listener's
     * commit marker), for operations whose recovery reads step outcomes (apply). Off for reindex, whose
     * recovery reads the catalog: its swap's locked transaction stays as short as it was.
     */
    public Executor markingCommits() {
        this.markCommits = true;
        return this;
    }

    private boolean markCommits;

    /** How backfill steps size their batches and when they pause. */
    public Executor throttledBy(Backfill.Throttle newThrottle) {
        this.throttle = newThrottle;
        return this;
    }

    /** Tells this listener (the journal) about every step; null for none. */
    public Executor journaledBy(StepListener newListener) {
        this.listener = newListener;
        return this;
    }

    /**
     * Runs the plan's steps in order. If a step fails before a finalizing step completed, the undo SQL of
     * the failed and completed steps runs in reverse order, and the failure is rethrown.
     */
    public List<StepResult> run(Plan plan) {
        return run(plan, 0);
    }

    /**
     * As {@link #run(Plan)}, for a plan that is a part of a journaled operation's: its steps are that
     * operation's steps from position {@code offset + 1} on.
     */
    public List<StepResult> run(Plan plan, int offset) {
        List<StepResult> results = new ArrayList<>();
        List<Step> done = new ArrayList<>();
        boolean finalized = false;
        applySettings(plan);
        try {
            int position = offset;
            for (Step step : plan.steps()) {
                position++;
                if (stoppable && Stop.requested() != null) {
                    throw stopped(step, null);
                }
                if (listener != null) {
                    listener.stepStarted(position, step);
                }
                this.position = position;
                try {
                    StepResult result = step.kind() == io.zerolock.plan.StepKind.BACKFILL
                            ? runBackfill(step, position)
                            : runStep(step, stoppable, listener == null || !markCommits ? null
                                    : listener.commitMarker(position));
                    results.add(result);
                    if (listener != null) {
                        listener.stepEnded(position, step, result.attempts(), null);
                    }
                    haltHereForTests(step);
                } catch (ZerolockException failure) {
                    if (listener != null) {
                        listener.stepEnded(position, step, 0, failure.getMessage());
                    }
                    if (finalized) {
                        throw failure;
                    }
                    List<Step> toUndo = new ArrayList<>(done);
                    if (!madeNothing(failure)) {
                        toUndo.add(step);
                    }
                    // stopping: undo what may be undone, but within a bound the user can wait for
                    LockPolicy undoPolicy = Stop.requested() == null ? plan.undoPolicy()
                            : LockPolicy.bounded(plan.undoPolicy().lockTimeout(),
                                    Math.min(3, plan.undoPolicy().attempts()));
                    List<String> leftOver = undo(toUndo, position - done.size(), failure, undoPolicy);
                    if (!step.transactional() && toUndo.stream().allMatch(undone -> undone.undo().isEmpty())) {
                        // a statement outside a transaction may have left something (a _ccnew): only the
                        // caller, who knows what the statement leaves, can say what state it is in
                        throw failure;
                    }
                    String state = leftOver.isEmpty() ? "the database is as before (" + undoSummary(toUndo) + ")"
                            : "could not finish undoing (" + String.join("; ", leftOver) + "): another session still "
                                    + "blocks it; the next zerolock run on this index drops what is left";
                    throw new ZerolockException(failure.code(), failure.getMessage() + "; " + state,
                            failure.getCause());
                }
                done.add(step);
                finalized |= step.finalizes();
            }
            return results;
        } finally {
            resetSettings(plan);
        }
    }

    private StepResult runBackfill(Step step, int position) {
        log.atInfo().setMessage("step started").addKeyValue("step", step.name())
                .addKeyValue("lock", step.lock().sql()).addKeyValue("on", describe(step)).log();
        if (monitor != null) {
            monitor.stepStarted(step.name(), false);
        }
        Stop.doing("step " + step.name() + " (" + step.description() + ")");
        StepResult result = Backfill.run(connection, step, step.policy(), throttle, listener, position, sleeper,
                jitter);
        log.atInfo().setMessage("step done").addKeyValue("step", step.name())
                .addKeyValue("attempts", result.attempts()).addKeyValue("duration_ms", result.duration().toMillis())
                .log();
        return result;
    }

    /** Test-only: system property naming a step after which the run stops dead, as if killed. */
    public static final String HALT_AFTER_STEP = "zerolock.test.halt-after-step";

    /** Stands for the process dying: nothing catches it, nothing is undone or journaled as ended. */
    public static final class HaltedForTest extends Error {
        private static final long serialVersionUID = 1L;

        HaltedForTest(String step) {
            super("halted after step " + step + " (test only)");
        }
    }

    private static void haltHereForTests(Step step) {
        if (step.name().equals(System.getProperty(HALT_AFTER_STEP))) {
            throw new HaltedForTest(step.name());
        }
    }

    private StepResult runStep(Step step, boolean stopsOnRequest, String commitMarker) {
        long started = System.nanoTime();
        LockPolicy policy = step.policy();
        log.atInfo().setMessage("step started").addKeyValue("step", step.name())
                .addKeyValue("lock", step.lock().sql()).addKeyValue("on", describe(step)).log();
        if (monitor != null) {
            monitor.stepStarted(step.name(), !policy.bounded());
        }
        Stop.doing("step " + step.name() + " (" + step.description() + ")");
        for (int attempt = 1; ; attempt++) {
            try {
                attempt(step, stopsOnRequest, commitMarker);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                log.atInfo().setMessage("step done").addKeyValue("step", step.name())
                        .addKeyValue("attempts", attempt).addKeyValue("duration_ms", took.toMillis()).log();
                return new StepResult(step.name(), attempt, took);
            } catch (SQLException e) {
                if (stopsOnRequest && Stop.requested() != null) {
                    throw stopped(step, e);
                }
                boolean lockTrouble = SqlState.LOCK_NOT_AVAILABLE.equals(e.getSQLState())
                        || SqlState.DEADLOCK_DETECTED.equals(e.getSQLState());
                if (monitor != null && monitor.cancelledBecause() != null
                        && SqlState.QUERY_CANCELED.equals(e.getSQLState())) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "step " + step.name()
                            + " cancelled by the watchdog: " + monitor.cancelledBecause(), e);
                }
                if (!lockTrouble || !policy.bounded()) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "step " + step.name() + " failed: "
                            + oneLine(e) + " (SQLSTATE " + e.getSQLState() + ")", e);
                }
                if (attempt >= policy.attempts()) {
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "step " + step.name()
                            + " could not take " + step.lock().sql() + " on " + describe(step) + " within lock_timeout="
                            + policy.lockTimeout().toMillis() + "ms in " + attempt + " attempts: " + holders(step),
                            e);
                }
                Duration wait = withJitter(policy.backoffBefore(attempt + 1));
                String holders = holders(step);
                log.atWarn().setMessage("lock not available, retrying").addKeyValue("event", "lock_retry")
                        .addKeyValue("step", step.name()).addKeyValue("attempt", attempt)
                        .addKeyValue("of", policy.attempts()).addKeyValue("sqlstate", e.getSQLState())
                        .addKeyValue("backoff_ms", wait.toMillis()).addKeyValue("waited_for", holders).log();
                if (listener != null && stopsOnRequest) {
                    // the journal keeps who held the lock, attempt by attempt
                    listener.stepNote(position, "attempt " + attempt + " of " + policy.attempts() + " timed out "
                            + "waiting for a lock (" + e.getSQLState() + "): " + holders);
                }
                if (stopsOnRequest && Stop.requested() != null) {
                    throw stopped(step, e);
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ZerolockException(ErrorCode.OPERATION_FAILED, "interrupted while retrying step "
                            + step.name(), interrupted);
                }
            }
        }
    }

    /**
     * One try of the step. Every step states both of its timeouts, whatever the role, the session or an
     * earlier step set: {@code lock_timeout} from its policy, {@code statement_timeout} likewise.
     */
    private void attempt(Step step, boolean stoppable, String commitMarker) throws SQLException {
        LockPolicy policy = step.policy();
        String lockTimeout = "'" + policy.lockTimeout().toMillis() + "ms'";
        String statementTimeout = "'" + policy.statementTimeout().toMillis() + "ms'";
        try (Statement statement = connection.createStatement()) {
            if (stoppable) {
                Stop.running(statement);
            }
            if (step.transactional()) {
                statement.execute("BEGIN");
                try {
                    statement.execute("SET LOCAL lock_timeout = " + lockTimeout);
                    statement.execute("SET LOCAL statement_timeout = " + statementTimeout);
                    for (String sql : step.statements()) {
                        checkStop(stoppable);
                        logStatement(step, sql);
                        statement.execute(sql);
                    }
                    if (commitMarker != null) {
                        statement.execute(commitMarker);
                    }
                    statement.execute("COMMIT");
                } catch (SQLException e) {
                    rollbackQuietly(statement);
                    throw e;
                }
            } else {
                statement.execute("SET statement_timeout = " + statementTimeout);
                statement.execute("SET lock_timeout = " + lockTimeout);
                try {
                    for (String sql : step.statements()) {
                        checkStop(stoppable);
                        logStatement(step, sql);
                        statement.execute(sql);
                    }
                } finally {
                    statement.execute("SET lock_timeout = 0");
                }
            }
        } finally {
            if (stoppable) {
                Stop.running(null);
            }
        }
    }

    private static void checkStop(boolean stoppable) throws SQLException {
        if (stoppable && Stop.requested() != null) {
            throw new SQLException("stop requested (" + Stop.requested() + ")", SqlState.QUERY_CANCELED);
        }
    }

    private static ZerolockException stopped(Step step, SQLException cause) {
        return new ZerolockException(ErrorCode.INTERRUPTED, "stopped by " + Stop.requested() + " during step "
                + step.name() + " (" + step.description() + ")", cause);
    }

    /**
     * A step that failed because the object it creates exists already made nothing: its undo (which drops
     * that object by name) must not run, or it would drop what was there before.
     */
    private static boolean madeNothing(ZerolockException failure) {
        return failure.getCause() instanceof SQLException sql && (SqlState.DUPLICATE_TABLE.equals(sql.getSQLState())
                || SqlState.DUPLICATE_OBJECT.equals(sql.getSQLState()));
    }

    /** Runs the undo SQL of these steps in reverse order; returns what could not be undone. */
    private List<String> undo(List<Step> steps, int firstPosition, ZerolockException failure, LockPolicy policy) {
        List<String> leftOver = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            int leftBefore = leftOver.size();
            for (String sql : step.undo()) {
                log.atWarn().setMessage("undoing").addKeyValue("step", step.name()).addKeyValue("sql", sql)
                        .addKeyValue("because", failure.getMessage()).log();
                Step undoStep = new Step(io.zerolock.plan.StepKind.UNDO, step.subject(), "undo:" + step.name(), "undo " + step.name(), List.of(sql),
                        io.zerolock.plan.LockMode.SHARE_UPDATE_EXCLUSIVE, step.relations(), false, policy, List.of(),
                        false);
                try {
                    runStep(undoStep, false, null); // an undo runs to its end, bounded by its policy
                } catch (ZerolockException e) {
                    log.atError().setMessage("could not undo; the next zerolock run on this index finishes it")
                            .addKeyValue("sql", sql).addKeyValue("error", e.getMessage()).log();
                    leftOver.add(sql);
                }
            }
            if (!step.undo().isEmpty() && leftOver.size() == leftBefore && listener != null) {
                listener.stepUndone(firstPosition + i, step);
            }
        }
        return leftOver;
    }

    private static String undoSummary(List<Step> steps) {
        List<String> undone = new ArrayList<>();
        steps.forEach(step -> undone.addAll(step.undo()));
        return undone.isEmpty() ? "nothing was changed" : "undone: " + String.join("; ", undone);
    }

    private void applySettings(Plan plan) {
        for (Plan.SessionSetting setting : plan.settings()) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT set_config(?, ?, false)")) {
                statement.setString(1, setting.name());
                statement.setString(2, setting.value());
                statement.execute();
                log.atInfo().addKeyValue("event", "pg_setting").addKeyValue("setting", setting.name())
                        .addKeyValue("value", setting.value()).log();
            } catch (SQLException e) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot set " + setting.name() + " = "
                        + setting.value() + ": " + e.getMessage(), e);
            }
        }
    }

    private void resetSettings(Plan plan) {
        for (Plan.SessionSetting setting : plan.settings()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET " + setting.name());
            } catch (SQLException e) {
                log.atDebug().setMessage("cannot reset setting").addKeyValue("setting", setting.name()).log();
            }
        }
    }

    /** Who holds locks on the step's relations now: pid, application, user, transaction age, lock, query. */
    private String holders(Step step) {
        if (step.relations().isEmpty()) {
            return "another session holds a conflicting lock (the relations this step locks did not exist when it "
                    + "was planned; see pg_locks)";
        }
        try {
            return io.zerolock.catalog.LockHolders.on(connection, step.relations()).map(held -> "held by " + held)
                    .orElse("the sessions that held conflicting locks have gone since");
        } catch (SQLException e) {
            return "another session holds a conflicting lock (see pg_locks; listing them failed: " + e.getMessage()
                    + ")";
        }
    }

    /** The server's message with its detail and hint, on one line (a report's cell, a log value). */
    static String oneLine(SQLException e) {
        return String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static void logStatement(Step step, String sql) {
        log.atInfo().setMessage("running statement").addKeyValue("step", step.name()).addKeyValue("sql", sql).log();
    }

    private static void rollbackQuietly(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is gone; the server rolled back for us
        }
    }

    private Duration withJitter(Duration backoff) {
        // "full jitter": anywhere between half and the whole backoff, so retrying sessions spread out
        long millis = backoff.toMillis();
        return Duration.ofMillis(millis / 2 + (millis <= 1 ? 0 : (long) (jitter.nextDouble() * (millis / 2.0))));
    }

    private static String describe(Step step) {
        return step.relations().stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse("-");
    }
}

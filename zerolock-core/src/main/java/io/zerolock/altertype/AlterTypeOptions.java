package io.zerolock.altertype;

import io.zerolock.execute.Backfill;
import io.zerolock.execute.Watchdog;
import io.zerolock.plan.SettingValues;
import io.zerolock.reindex.ReindexOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How to change a column's type online.
 *
 * @param lockTimeout {@code lock_timeout} of every step that takes a lock stronger than SHARE UPDATE EXCLUSIVE
 * @param lockAttempts tries of each such step (the first plus retries), never a final untimed one
 * @param watchdog what to do while a concurrent build waits for old snapshots
 * @param stateSchema the exact name of the schema holding the journal
 * @param throttle how the backfill sizes its batches and when it pauses
 */
public record AlterTypeOptions(Duration lockTimeout, int lockAttempts, Watchdog watchdog, String stateSchema,
        Backfill.Throttle throttle, io.zerolock.gate.GateLimits gate) {

    public AlterTypeOptions {
        SettingValues.requireMillisSetting("--lock-timeout", lockTimeout);
        SettingValues.requireRange("--lock-retries", lockAttempts, 1, ReindexOptions.MAX_LOCK_ATTEMPTS);
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(stateSchema, "stateSchema");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(gate, "gate");
    }

    /**
     * A backfill batch holds the locks of the rows it updated until it commits, and this one updates every row
     * of a table the application writes: short batches keep an application write's wait for one short.
     */
    public static final Duration DEFAULT_BATCH_TIME = Duration.ofMillis(25);

    /**
     * And it rests as long as each batch took: the backfill writes every row once more (and its WAL), which
     * on a busy server competes with the application for the disk; measured, it halves the worst spikes.
     */
    public static final double DEFAULT_BATCH_REST = 1.0;

    public static AlterTypeOptions defaults() {
        Backfill.Throttle throttle = Backfill.Throttle.defaults();
        return new AlterTypeOptions(ReindexOptions.DEFAULT_LOCK_TIMEOUT, ReindexOptions.DEFAULT_LOCK_RETRIES,
                Watchdog.defaults(), ReindexOptions.DEFAULT_STATE_SCHEMA, new Backfill.Throttle(DEFAULT_BATCH_TIME,
                        throttle.maxReplicaLag(), throttle.maxReplicaLagBytes(), throttle.maxTransactionAge(),
                        DEFAULT_BATCH_REST), io.zerolock.gate.GateLimits.defaults().withMaxTransactionAge(null));
    }

    public AlterTypeOptions withLocks(Duration newLockTimeout, int newLockAttempts) {
        return new AlterTypeOptions(newLockTimeout, newLockAttempts, watchdog, stateSchema, throttle, gate);
    }

    public AlterTypeOptions withWatchdog(Watchdog newWatchdog) {
        return new AlterTypeOptions(lockTimeout, lockAttempts, newWatchdog, stateSchema, throttle, gate);
    }

    public AlterTypeOptions withStateSchema(String newStateSchema) {
        return new AlterTypeOptions(lockTimeout, lockAttempts, watchdog, newStateSchema, throttle, gate);
    }

    public AlterTypeOptions withThrottle(Backfill.Throttle newThrottle) {
        return new AlterTypeOptions(lockTimeout, lockAttempts, watchdog, stateSchema, newThrottle, gate);
    }

    public AlterTypeOptions withGate(io.zerolock.gate.GateLimits newGate) {
        return new AlterTypeOptions(lockTimeout, lockAttempts, watchdog, stateSchema, throttle, newGate);
    }
}

package io.zerolock.apply;

import io.zerolock.execute.Backfill;
import io.zerolock.execute.Watchdog;
import io.zerolock.plan.SettingValues;
import io.zerolock.reindex.ReindexOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How to apply migrations.
 *
 * @param lockTimeout {@code lock_timeout} of every statement that takes a lock stronger than SHARE UPDATE
 *     EXCLUSIVE
 * @param lockAttempts tries of each such statement (the first plus retries), never a final untimed one
 * @param rewrite run each statement's exact safe form instead of the statement (false: as written, bounded)
 * @param watchdog what to do while a concurrent build waits for old snapshots
 * @param stateSchema the exact name of the schema holding the journal and the applied-migration history
 * @param throttle how backfills size their batches and when they pause
 * @param requireQueued refuse, before anything runs, a CREATE INDEX or VALIDATE CONSTRAINT that the async queue
 *     has not finished yet, instead of building it then and there
 */
public record ApplyOptions(Duration lockTimeout, int lockAttempts, boolean rewrite, Watchdog watchdog,
        String stateSchema, Backfill.Throttle throttle, io.zerolock.gate.GateLimits gate, boolean requireQueued) {

    public ApplyOptions {
        SettingValues.requireMillisSetting("--lock-timeout", lockTimeout);
        SettingValues.requireRange("--lock-retries", lockAttempts, 1, ReindexOptions.MAX_LOCK_ATTEMPTS);
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(stateSchema, "stateSchema");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(gate, "gate");
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(ReindexOptions.DEFAULT_LOCK_TIMEOUT, ReindexOptions.DEFAULT_LOCK_RETRIES, true,
                Watchdog.defaults(), ReindexOptions.DEFAULT_STATE_SCHEMA, Backfill.Throttle.defaults(),
                io.zerolock.gate.GateLimits.defaults().withMaxTransactionAge(null), false);
    }

    public ApplyOptions withRewrite(boolean newRewrite) {
        return new ApplyOptions(lockTimeout, lockAttempts, newRewrite, watchdog, stateSchema, throttle, gate,
                requireQueued);
    }

    public ApplyOptions withLocks(Duration newLockTimeout, int newLockAttempts) {
        return new ApplyOptions(newLockTimeout, newLockAttempts, rewrite, watchdog, stateSchema, throttle, gate,
                requireQueued);
    }

    public ApplyOptions withStateSchema(String newStateSchema) {
        return new ApplyOptions(lockTimeout, lockAttempts, rewrite, watchdog, newStateSchema, throttle, gate,
                requireQueued);
    }

    public ApplyOptions withWatchdog(Watchdog newWatchdog) {
        return new ApplyOptions(lockTimeout, lockAttempts, rewrite, newWatchdog, stateSchema, throttle, gate,
                requireQueued);
    }

    public ApplyOptions withThrottle(Backfill.Throttle newThrottle) {
        return new ApplyOptions(lockTimeout, lockAttempts, rewrite, watchdog, stateSchema, newThrottle, gate,
                requireQueued);
    }

    public ApplyOptions withRequireQueued(boolean newRequireQueued) {
        return new ApplyOptions(lockTimeout, lockAttempts, rewrite, watchdog, stateSchema, throttle, gate,
                newRequireQueued);
    }

    public ApplyOptions withGate(io.zerolock.gate.GateLimits newGate) {
        return new ApplyOptions(lockTimeout, lockAttempts, rewrite, watchdog, stateSchema, throttle, newGate,
                requireQueued);
    }
}

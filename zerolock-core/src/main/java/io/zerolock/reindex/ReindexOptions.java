package io.zerolock.reindex;

import io.zerolock.execute.Watchdog;
import io.zerolock.plan.SettingValues;
import java.time.Duration;

/**
 * How to rebuild.
 *
 * @param strategy null: the default for the server (native on 12+, swap before)
 * @param lockTimeout {@code lock_timeout} of every step that takes a lock stronger than SHARE UPDATE EXCLUSIVE
 * @param lockAttempts attempts of each such step (the first try plus retries)
 * @param maintenanceWorkMem {@code maintenance_work_mem} for builds, or null to keep the server's
 * @param parallelWorkers {@code max_parallel_maintenance_workers} for builds, or null
 * @param tempFileLimit {@code temp_file_limit} for builds (superuser-only setting), or null
 * @param waitForOthers how long to wait for another zerolock working on the same table (zero: fail at once)
 * @param watchdog what to do when a concurrent build waits for other sessions
 * @param maxTransactionAge refuse to start while a transaction older than this is open (null: only warn
 *     about those older than a minute)
 * @param stateSchema the exact name of the schema holding zerolock's journal
 * @param gate the limits the gate holds the server to before each index (its transaction age is
 *     {@code maxTransactionAge}'s business, not the gate's)
 */
public record ReindexOptions(Strategy strategy, Duration lockTimeout, int lockAttempts, String maintenanceWorkMem,
        Integer parallelWorkers, String tempFileLimit, Duration waitForOthers, Watchdog watchdog,
        Duration maxTransactionAge, String stateSchema, io.zerolock.gate.GateLimits gate) {

    public static final String DEFAULT_STATE_SCHEMA = "zerolock";

    /** Upper bound of {@code max_parallel_maintenance_workers} (MAX_PARALLEL_WORKER_LIMIT). */
    public static final int MAX_PARALLEL_WORKERS = 1024;
    /** More tries than this of one step would keep a run retrying for hours; a mistake, not a policy. */
    public static final int MAX_LOCK_ATTEMPTS = 1000;

    /**
     * Every value is checked against what PostgreSQL accepts here, before anything connects: a value the
     * server would refuse half-way (after a build, in the middle of an undo) is a usage error up front.
     */
    public ReindexOptions {
        SettingValues.requireMillisSetting("--lock-timeout", lockTimeout);
        SettingValues.requireRange("--lock-retries", lockAttempts, 1, MAX_LOCK_ATTEMPTS);
        if (maintenanceWorkMem != null) {
            SettingValues.requireMemory("--maintenance-work-mem", maintenanceWorkMem, 1024, false);
        }
        if (parallelWorkers != null) {
            SettingValues.requireRange("--parallel-workers", parallelWorkers, 0, MAX_PARALLEL_WORKERS);
        }
        if (tempFileLimit != null) {
            SettingValues.requireMemory("--temp-file-limit", tempFileLimit, 0, true);
        }
        if (waitForOthers == null || waitForOthers.isNegative()) {
            throw new IllegalArgumentException("waitForOthers must be zero or more");
        }
        SettingValues.requirePositive("--max-xact-age", maxTransactionAge);
        java.util.Objects.requireNonNull(watchdog, "watchdog");
        java.util.Objects.requireNonNull(stateSchema, "stateSchema");
        java.util.Objects.requireNonNull(gate, "gate");
    }

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_LOCK_RETRIES = 10;

    /**
     * The session settings a plan's builds run under (and are reset after): a search path under which every
     * name of a plan is schema-qualified, and the memory, parallelism and temp-file limits of these options.
     */
    public java.util.List<io.zerolock.plan.Plan.SessionSetting> buildSettings() {
        java.util.List<io.zerolock.plan.Plan.SessionSetting> settings = new java.util.ArrayList<>();
        settings.add(new io.zerolock.plan.Plan.SessionSetting("search_path", "pg_catalog, pg_temp"));
        if (maintenanceWorkMem != null) {
            settings.add(new io.zerolock.plan.Plan.SessionSetting("maintenance_work_mem", maintenanceWorkMem));
        }
        if (parallelWorkers != null) {
            settings.add(new io.zerolock.plan.Plan.SessionSetting("max_parallel_maintenance_workers",
                    String.valueOf(parallelWorkers)));
        }
        if (tempFileLimit != null) {
            settings.add(new io.zerolock.plan.Plan.SessionSetting("temp_file_limit", tempFileLimit));
        }
        return settings;
    }

    public static ReindexOptions defaults() {
        return new ReindexOptions(null, DEFAULT_LOCK_TIMEOUT, DEFAULT_LOCK_RETRIES, null, null, null, Duration.ZERO,
                Watchdog.defaults(), null, DEFAULT_STATE_SCHEMA, io.zerolock.gate.GateLimits.defaults()
                        .withMaxTransactionAge(null));
    }

    public ReindexOptions withStrategy(Strategy newStrategy) {
        return new ReindexOptions(newStrategy, lockTimeout, lockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, waitForOthers, watchdog, maxTransactionAge, stateSchema, gate);
    }

    public ReindexOptions withLocks(Duration newLockTimeout, int newLockAttempts) {
        return new ReindexOptions(strategy, newLockTimeout, newLockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, waitForOthers, watchdog, maxTransactionAge, stateSchema, gate);
    }

    public ReindexOptions withWait(Duration wait) {
        return new ReindexOptions(strategy, lockTimeout, lockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, wait, watchdog, maxTransactionAge, stateSchema, gate);
    }

    public ReindexOptions withWatchdog(Watchdog newWatchdog, Duration newMaxTransactionAge) {
        return new ReindexOptions(strategy, lockTimeout, lockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, waitForOthers, newWatchdog, newMaxTransactionAge, stateSchema, gate);
    }

    public ReindexOptions withStateSchema(String newStateSchema) {
        return new ReindexOptions(strategy, lockTimeout, lockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, waitForOthers, watchdog, maxTransactionAge, newStateSchema, gate);
    }

    public ReindexOptions withGate(io.zerolock.gate.GateLimits newGate) {
        return new ReindexOptions(strategy, lockTimeout, lockAttempts, maintenanceWorkMem, parallelWorkers,
                tempFileLimit, waitForOthers, watchdog, maxTransactionAge, stateSchema, newGate);
    }
}

package io.zerolock.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How steps that could block the application wait for their locks: shared by every command that changes. */
final class LockOptions {

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "1s", converter = Durations.class,
            description = "lock_timeout of each step that takes a lock stronger than SHARE UPDATE EXCLUSIVE, and of "
                    + "concurrent drops (default: ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    @Option(names = "--lock-retries", paramLabel = "N", defaultValue = "10",
            description = "Tries of each such step, with exponential backoff and jitter; never a final untimed "
                    + "try (default: ${DEFAULT-VALUE}).")
    int lockRetries;

    /**
     * Steps that could block the application are always bounded, and by a value the server accepts:
     * checked here, before connecting, so a run never fails half-way on its own setting.
     */
    void validate(picocli.CommandLine commandLine) {
        try {
            io.zerolock.plan.SettingValues.requireMillisSetting("--lock-timeout", lockTimeout);
            io.zerolock.plan.SettingValues.requireRange("--lock-retries", lockRetries, 1,
                    io.zerolock.reindex.ReindexOptions.MAX_LOCK_ATTEMPTS);
        } catch (io.zerolock.ZerolockException e) {
            throw new picocli.CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}

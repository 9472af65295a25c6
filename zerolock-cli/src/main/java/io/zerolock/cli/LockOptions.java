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

    /** Steps that could block the application are always bounded: refuse a zero timeout or no tries. */
    void validate(picocli.CommandLine commandLine) {
        if (lockRetries < 1) {
            throw new picocli.CommandLine.ParameterException(commandLine, "--lock-retries must be at least 1");
        }
        if (lockTimeout.isZero()) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    "--lock-timeout must be more than 0: steps that block the application are always bounded");
        }
    }
}

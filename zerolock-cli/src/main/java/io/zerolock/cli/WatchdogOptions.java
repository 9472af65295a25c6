package io.zerolock.cli;

import io.zerolock.execute.Watchdog;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What a concurrent build does while it waits for other sessions: shared by every command that builds. */
final class WatchdogOptions {

    @Option(names = "--warn-after", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "When a concurrent build has waited this long for other sessions (old snapshots, "
                    + "lockers), name them: pid, application_name, user, state, transaction age, query "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration warnAfter;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = Durations.class,
            description = "Past this wait, cancel our own build, clean up, and exit 1 naming the blockers.")
    Duration maxWait;

    Watchdog watchdog() {
        return new Watchdog(warnAfter, maxWait);
    }
}

package io.zerolock.cli;

import io.zerolock.execute.Backfill;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a backfill (an UPDATE of every row, in key ranges) sizes its batches and when it pauses: apply and alter-type. */
final class BackfillOptions {

    @Option(names = "--batch-time", paramLabel = "DURATION", defaultValue = "200ms", converter = Durations.class,
            description = "Backfills (an UPDATE of every row) run in key ranges, each its own transaction, sized to "
                    + "take about this long (default: ${DEFAULT-VALUE}).")
    Duration batchTime;

    @Option(names = "--max-replica-lag", paramLabel = "DURATION", defaultValue = "10s", converter = Durations.class,
            description = "A backfill pauses while a standby's replay lag is longer (default: ${DEFAULT-VALUE}).")
    Duration maxReplicaLag;

    @Option(names = "--max-replica-bytes", paramLabel = "SIZE", defaultValue = "1GB",
            description = "A backfill also pauses while a standby has more WAL than this left to replay (what a "
                    + "standby whose replay is paused or stuck shows; default: ${DEFAULT-VALUE}).")
    String maxReplicaBytes;

    @Option(names = "--pause-xact-age", paramLabel = "DURATION", defaultValue = "10min", converter = Durations.class,
            description = "A backfill pauses while another transaction has been open longer: vacuum cannot clean "
                    + "behind it (default: ${DEFAULT-VALUE}).")
    Duration pauseTransactionAge;

    /** The throttle these options say; a bad value is the caller's usage error. */
    Backfill.Throttle throttle() {
        return new Backfill.Throttle(batchTime, maxReplicaLag, io.zerolock.plan.SettingValues.requireMemory(
                "--max-replica-bytes", maxReplicaBytes, 1, false) * 1024, pauseTransactionAge);
    }
}

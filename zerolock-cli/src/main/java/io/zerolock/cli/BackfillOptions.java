package io.zerolock.cli;

import io.zerolock.execute.Backfill;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a backfill (an UPDATE of every row, in key ranges) sizes its batches and pauses: apply and alter-type. */
final class BackfillOptions {

    @Option(names = "--batch-time", paramLabel = "DURATION", converter = Durations.class,
            description = "Backfills (an UPDATE of every row) run in key ranges, each its own transaction, sized to "
                    + "take about this long; a batch holds the locks of the rows it updates until it commits, so "
                    + "this is also about the longest an application write to one of them waits (default: 200ms "
                    + "for apply, 25ms for alter-type, whose backfill updates every row of a table in use).")
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

    @Option(names = "--batch-rest", paramLabel = "RATIO", description = "After each batch, rest this many times "
            + "as long as it took, leaving the disk and CPU to the application (default: 0 for apply, 1 for "
            + "alter-type).")
    Double batchRest;

    /** The throttle these options say, the command's defaults where none is given; a bad value is a usage error. */
    Backfill.Throttle throttle(Backfill.Throttle defaults) {
        long replicaBytes = io.zerolock.plan.SettingValues.requireMemory("--max-replica-bytes", maxReplicaBytes, 1,
                false) * 1024;
        return new Backfill.Throttle(batchTime == null ? defaults.batchTarget() : batchTime, maxReplicaLag,
                replicaBytes, pauseTransactionAge, batchRest == null ? defaults.rest() : batchRest);
    }
}

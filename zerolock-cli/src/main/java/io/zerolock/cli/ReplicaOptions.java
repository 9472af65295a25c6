package io.zerolock.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How far behind a standby may be before the gate says wait: reindex and the worker. */
final class ReplicaOptions {

    @Option(names = "--max-replica-lag", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
            description = "Do not start while a standby's replay lag is longer (default: ${DEFAULT-VALUE}).")
    Duration maxReplicaLag;

    @Option(names = "--max-replica-bytes", paramLabel = "SIZE", defaultValue = "1GB", converter = ByteSizes.class,
            description = "Do not start while a standby has more WAL than this left to replay (default: "
                    + "${DEFAULT-VALUE}).")
    long maxReplicaBytes;
}

package io.zerolock.cli;

import io.zerolock.gate.GateLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The limits the gate holds the server to before each operation starts, beyond the standbys' (reindex and
 * the worker take those from {@link ReplicaOptions}, apply and alter-type from their backfill's options).
 */
final class GateOptions {

    @Option(names = "--max-retained-wal", paramLabel = "SIZE", defaultValue = "10GB", converter = ByteSizes.class,
            description = "Do not start while a replication slot holds back more WAL than this: the WAL a rebuild "
                    + "writes would pile up behind it (default: ${DEFAULT-VALUE}).")
    long maxRetainedWal;

    @Option(names = "--max-archive-backlog", paramLabel = "SEGMENTS", defaultValue = "64",
            description = "Do not start while more WAL segments than this wait for the archiver, or while "
                    + "archiving fails (default: ${DEFAULT-VALUE}).")
    long maxArchiveBacklog;

    @Option(names = "--disk-budget", paramLabel = "SIZE", converter = ByteSizes.class,
            description = "Skip an operation that needs more new space than this (a rebuild needs about the "
                    + "index's size beside it until the old one is dropped; default: no budget).")
    Long diskBudget;

    GateLimits limits(Duration maxTransactionAge, Duration maxReplicaLag, long maxReplicaBytes) {
        return new GateLimits(maxTransactionAge, maxReplicaLag, maxReplicaBytes, maxRetainedWal, maxArchiveBacklog,
                diskBudget);
    }

    /** Without the standbys' limits: the command's backfill pauses for them instead (apply, alter-type). */
    GateLimits limitsLeavingStandbysToTheBackfill() {
        return limits(null, Duration.ZERO, 0).standbysLeftToTheBackfill();
    }
}

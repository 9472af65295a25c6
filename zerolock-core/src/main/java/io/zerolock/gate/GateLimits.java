package io.zerolock.gate;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.time.Duration;

/**
 * The limits the gate holds the server to. Defaults: transactions 10 min (a concurrent build waits for
 * every older one), standbys 30 s or 1 GB of WAL behind, 10 GB of WAL held by a replication slot, 64 WAL
 * segments waiting for the archiver (or an archiver whose last attempt failed), no disk budget.
 *
 * @param maxTransactionAge null: old transactions are not the gate's business (reindex warns of them itself)
 * @param maxArchiveBacklog WAL segments written and not yet archived
 * @param diskBudgetBytes the most new space an operation may need, null for no budget
 */
public record GateLimits(Duration maxTransactionAge, Duration maxReplicaLag, long maxReplicaBytes,
        long maxRetainedWalBytes, long maxArchiveBacklog, Long diskBudgetBytes) {

    public GateLimits {
        if (maxReplicaLag == null || maxReplicaLag.isNegative()) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "--max-replica-lag must be a duration of 0 or more");
        }
        if (maxReplicaBytes < 0 || maxRetainedWalBytes < 0 || maxArchiveBacklog < 0
                || diskBudgetBytes != null && diskBudgetBytes < 0) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "gate limits cannot be negative");
        }
    }

    public static GateLimits defaults() {
        return new GateLimits(Duration.ofMinutes(10), Duration.ofSeconds(30), 1L << 30, 10L << 30, 64, null);
    }

    public GateLimits withMaxTransactionAge(Duration age) {
        return new GateLimits(age, maxReplicaLag, maxReplicaBytes, maxRetainedWalBytes, maxArchiveBacklog,
                diskBudgetBytes);
    }

    public GateLimits withReplica(Duration lag, long bytes) {
        return new GateLimits(maxTransactionAge, lag, bytes, maxRetainedWalBytes, maxArchiveBacklog, diskBudgetBytes);
    }

    public GateLimits withWal(long retainedBytes, long archiveBacklog) {
        return new GateLimits(maxTransactionAge, maxReplicaLag, maxReplicaBytes, retainedBytes, archiveBacklog,
                diskBudgetBytes);
    }

    /**
     * These limits without the standbys': for an operation whose backfill pauses while a standby is behind
     * and goes on once it has caught up, rather than refusing to start (apply, alter-type).
     */
    public GateLimits standbysLeftToTheBackfill() {
        return withReplica(java.time.Duration.ofDays(36500), Long.MAX_VALUE);
    }

    public GateLimits withDiskBudget(Long bytes) {
        return new GateLimits(maxTransactionAge, maxReplicaLag, maxReplicaBytes, maxRetainedWalBytes,
                maxArchiveBacklog, bytes);
    }
}

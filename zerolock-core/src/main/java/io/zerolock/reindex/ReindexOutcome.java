package io.zerolock.reindex;

import io.zerolock.catalog.QualifiedName;
import io.zerolock.execute.Impact;
import io.zerolock.plan.Plan;
import java.time.Duration;

/**
 * What happened to one index.
 *
 * @param plan the plan that ran (or would run, in a dry run); null when skipped
 * @param message why it was skipped or failed; null when done
 * @param impact who had to wait for zerolock while it rebuilt this index
 */
public record ReindexOutcome(QualifiedName index, Status status, String strategy, Plan plan, Duration duration,
        int retries, long oldSizeBytes, long newSizeBytes, String message, Impact impact) {

    public enum Status { DONE, PLANNED, SKIPPED, FAILED }
}

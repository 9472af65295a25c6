package io.zerolock.cli.load;

/**
 * One application transaction of the load.
 *
 * @param scheduledNanos when the open-loop schedule said it should start ({@link System#nanoTime()})
 * @param completedNanos when it finished
 */
public record Sample(long scheduledNanos, long completedNanos, boolean write, boolean failed) {

    /** Latency as the user sees it: from the scheduled start, so time queued behind a lock counts. */
    public long latencyNanos() {
        return completedNanos - scheduledNanos;
    }
}

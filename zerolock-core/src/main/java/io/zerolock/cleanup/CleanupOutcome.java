package io.zerolock.cleanup;

/**
 * What happened to one invalid index.
 *
 * @param done the drop or rebuild ran (false in a dry run, for kept and reported indexes, and on failure)
 * @param error why the drop or rebuild failed, else null
 * @param skipped why it was left for later (another zerolock is working on its table), else null
 */
public record CleanupOutcome(InvalidIndex invalid, boolean done, String error, String skipped) {}

package io.zerolock.execute;

import io.zerolock.plan.Step;

/** Hears each step of a plan start and end; the journal is one. */
public interface StepListener {

    void stepStarted(int position, Step step);

    /** @param error null when the step succeeded */
    void stepEnded(int position, Step step, int attempts, String error);

    /**
     * SQL the executor runs inside each batch of a backfill, just before its COMMIT: the key the next batch
     * starts from, so a run that dies is resumed exactly there; null for none.
     */
    default String progressMarker(int position, long resumeFrom) {
        return null;
    }

    /** What a step did, in a phrase (a backfill's rows, batches and pauses). */
    default void stepNote(int position, String note) {}

    /** A step that had run was undone after a later one failed: it no longer counts as done. */
    default void stepUndone(int position, Step step) {}

    /**
     * SQL the executor runs inside a transactional step's own transaction, just before its COMMIT, so that
     * whether the step committed can be read back after a kill; null for none.
     */
    default String commitMarker(int position) {
        return null;
    }
}

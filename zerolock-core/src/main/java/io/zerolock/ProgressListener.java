package io.zerolock;

import java.time.Duration;

/** Hears how a concurrent build is going, about once a second (PostgreSQL 12+; older servers say nothing). */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param step the plan step, e.g. {@code build} or {@code reindex}
     * @param phase {@code pg_stat_progress_create_index.phase}
     */
    record Progress(String index, String step, String phase, long blocksDone, long blocksTotal, long tuplesDone,
            long tuplesTotal, Duration elapsed) {}

    void progress(Progress progress);

    /** A step of the plan for {@code index} starts (every step, builds or not); for timelines. */
    default void stepStarted(String index, String step) {}

    /** The step is over; a live display can finish its line. */
    default void stepFinished(String step) {}
}

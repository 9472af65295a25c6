package io.zerolock.altertype;

import io.zerolock.execute.Impact;
import java.time.Duration;
import java.util.List;

/**
 * What a type change did, or (dry run) would do.
 *
 * @param strategy {@code online}, {@code in-place} (PostgreSQL needs no rewrite), {@code abort}, {@code finish}
 * @param steps each step and how it went
 * @param notes what the change means for the application, and what is left
 */
public record AlterTypeOutcome(String target, Status status, String strategy, List<StepOutcome> steps, Duration took,
        Impact impact, List<String> notes) {

    public enum Status { PLANNED, DONE, NOTHING_TO_DO }

    public AlterTypeOutcome {
        steps = List.copyOf(steps);
        notes = List.copyOf(notes);
    }

    /** One step: its name, what it does, its SQL and lock, and how it went. */
    public record StepOutcome(String name, String description, List<String> sql, String lock, String outcome,
            int attempts, Duration duration) {
        public StepOutcome {
            sql = List.copyOf(sql);
        }
    }
}

package io.zerolock.apply;

import io.zerolock.execute.Impact;
import java.time.Duration;
import java.util.List;

/**
 * What happened to one migration file.
 *
 * @param statements each statement, what it became and how each of its steps went
 * @param error why it failed, and what is left and what the next run does; null unless FAILED
 */
public record ApplyOutcome(String file, Status status, Duration duration, List<StatementOutcome> statements,
        Impact impact, String error) {

    public ApplyOutcome {
        statements = List.copyOf(statements);
    }

    public enum Status {
        /** Already applied (same checksum): skipped. */
        ALREADY_APPLIED,
        /** --dry-run: what would run. */
        PLANNED,
        APPLIED,
        FAILED,
        /** An earlier file failed or a stop was asked for: not started. */
        NOT_RUN
    }

    /** One statement: its line, its text, what apply made of it, and its steps. */
    public record StatementOutcome(int line, String text, String how, List<StepOutcome> steps) {
        public StatementOutcome {
            steps = List.copyOf(steps);
        }
    }

    /**
     * One step: its SQL, the lock it takes and how, and (once run) its attempts and duration.
     *
     * @param outcome {@code planned}, {@code done}, {@code done earlier} (by an interrupted run),
     *     {@code failed} or {@code not run}
     */
    public record StepOutcome(String name, List<String> sql, String lock, String policy, String outcome,
            int attempts, Duration duration) {
        public StepOutcome {
            sql = List.copyOf(sql);
        }
    }
}

package io.zerolock.apply;

import io.zerolock.plan.Step;
import java.util.List;

/**
 * One statement of a migration (or one transaction block of the file's own), and the steps it becomes.
 *
 * @param line where it starts in the file
 * @param text the statement as written
 * @param how what apply does with it, for people: {@code as written}, {@code rewritten (ZL001)}, ...
 * @param steps what runs, in order
 * @param typeChange when the statement is a column type change that {@code zerolock alter-type} runs (the
 *     migration says {@code -- zerolock:online} above it): its one step stands for that operation, which has
 *     a journal of its own; else null
 */
public record PlannedStatement(int line, String text, String how, List<Step> steps, TypeChange typeChange) {

    /** {@code [schema.]table.column}, the type and the USING expression (or null), as the statement writes them. */
    public record TypeChange(String column, String type, String using) {}

    public PlannedStatement {
        steps = List.copyOf(steps);
    }

    public PlannedStatement(int line, String text, String how, List<Step> steps) {
        this(line, text, how, steps, null);
    }
}

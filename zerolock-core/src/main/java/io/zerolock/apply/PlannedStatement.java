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
 */
public record PlannedStatement(int line, String text, String how, List<Step> steps) {

    public PlannedStatement {
        steps = List.copyOf(steps);
    }
}

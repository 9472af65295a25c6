package io.zerolock.apply;

import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import java.util.ArrayList;
import java.util.List;

/** What applying one migration file runs: its statements, each as the steps it becomes. */
public record FilePlan(MigrationFile file, List<PlannedStatement> statements, LockPolicy undoPolicy) {

    public FilePlan {
        statements = List.copyOf(statements);
    }

    /** Every step of every statement, in order: what the executor runs and the journal records. */
    public Plan plan() {
        List<Step> steps = new ArrayList<>();
        statements.forEach(statement -> steps.addAll(statement.steps()));
        return new Plan(file.name(), "apply", steps, List.of(), undoPolicy);
    }
}

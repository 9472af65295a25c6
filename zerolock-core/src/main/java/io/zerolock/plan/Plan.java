package io.zerolock.plan;

import java.util.List;

/**
 * An ordered list of steps for one target, with the settings its builds run under.
 *
 * @param undoPolicy how the undo SQL of failed steps waits for its locks: always bounded, since an undo
 *     that waits forever behind the session that made the step fail would hang the run
 */
public record Plan(String target, String strategy, List<Step> steps, List<SessionSetting> settings,
        LockPolicy undoPolicy) {

    public Plan {
        steps = List.copyOf(steps);
        settings = List.copyOf(settings);
        if (!undoPolicy.bounded()) {
            throw new IllegalArgumentException("undo must run under lock_timeout");
        }
    }

    /**
     * A plan of one step: {@code DROP INDEX CONCURRENTLY IF EXISTS} of an index a failed or interrupted
     * build left, bounded by {@code policy} (it waits for the table's SHARE UPDATE EXCLUSIVE).
     *
     * @param index the index, as SQL (quoted, or as a statement wrote it)
     * @param relations the table and the index, to name who holds them if the drop has to wait
     */
    public static Plan dropConcurrently(String target, String strategy, String stepName, String description,
            String index, List<io.zerolock.catalog.QualifiedName> relations, LockPolicy policy) {
        return new Plan(target, strategy, List.of(Step.of(StepKind.DROP, stepName).description(description)
                .sql("DROP INDEX CONCURRENTLY IF EXISTS " + index).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, relations)
                .policy(policy).build()), List.of(), policy);
    }

    /** A session setting applied for the plan's builds and reset after. */
    public record SessionSetting(String name, String value) {
        public SessionSetting {
            if (!name.matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a setting name: " + name);
            }
        }
    }
}

package io.zerolock.cli.load;

/**
 * What the load does, each statement taking one parameter, a parent id: a write transaction runs
 * {@code update} then {@code insert}; a read runs {@code select}. Ids are drawn from {@code 1..maxId}
 * among the multiples of {@code idStep} (the rows the demo and the benchmark keep).
 */
public record Workload(String update, String insert, String select, long maxId, long idStep) {

    /** {@code parent(id, touched)} and {@code child(parent_id)} in a quoted schema. */
    public static Workload parentChild(String schema, long maxId, long idStep) {
        return new Workload("UPDATE " + schema + ".parent SET touched = touched + 1 WHERE id = ?",
                "INSERT INTO " + schema + ".child (parent_id) VALUES (?)",
                "SELECT touched FROM " + schema + ".parent WHERE id = ?", maxId, idStep);
    }
}

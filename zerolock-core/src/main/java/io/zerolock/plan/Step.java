package io.zerolock.plan;

import io.zerolock.catalog.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plan: the SQL it runs, the strongest lock it takes and on what, whether its statements
 * run in one transaction, how it waits for locks, and how to undo it.
 *
 * @param name a stable identifier, e.g. {@code build}, {@code swap}, {@code validate:orders_customer_fk}
 * @param statements the SQL, run in order; in one transaction when {@code transactional}
 * @param lock the strongest lock any statement takes
 * @param relations the relations that lock is taken on
 * @param undo SQL that returns the database to the state before this step, run (in reverse step order)
 *     when a later step fails before the replacement is final; empty when nothing to undo
 * @param finalizes once this step has completed, the replacement is in place: a later failure no longer
 *     undoes earlier steps (it leaves work to finish, said in the error)
 */
public record Step(String name, String description, List<String> statements, LockMode lock,
        List<QualifiedName> relations, boolean transactional, LockPolicy policy, List<String> undo,
        boolean finalizes) {

    public Step {
        Objects.requireNonNull(name, "name");
        statements = List.copyOf(statements);
        relations = List.copyOf(relations);
        undo = List.copyOf(undo);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("step " + name + " has no SQL");
        }
        if (lock.blocksApplication() && !policy.bounded()) {
            throw new IllegalArgumentException("step " + name + " takes " + lock.sql()
                    + " and must run under lock_timeout");
        }
    }
}

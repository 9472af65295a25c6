package io.zerolock.plan;

import io.zerolock.catalog.QualifiedName;
import java.util.List;
import java.util.Objects;

/**
 * One step of a plan: the SQL it runs, the strongest lock it takes and on what, whether its statements
 * run in one transaction, how it waits for locks, and how to undo it.
 *
 * @param kind what it does: the journal stores it and resume acts on it
 * @param subject the object it acts on when its kind needs one to be finished (the constraint a
 *     {@link StepKind#VALIDATE} validates); null otherwise
 * @param name a stable identifier for people and logs, e.g. {@code build}, {@code validate:orders_customer_fk}
 * @param statements the SQL, run in order; in one transaction when {@code transactional}
 * @param lock the strongest lock any statement takes
 * @param relations the relations that lock is taken on
 * @param undo SQL that returns the database to the state before this step, run (in reverse step order)
 *     when a later step fails before the replacement is final; empty when nothing to undo
 * @param finalizes once this step has completed, the replacement is in place: a later failure no longer
 *     undoes earlier steps (it leaves work to finish, said in the error)
 */
public record Step(StepKind kind, String subject, String name, String description, List<String> statements, LockMode lock,
        List<QualifiedName> relations, boolean transactional, LockPolicy policy, List<String> undo,
        boolean finalizes) {

    public Step {
        Objects.requireNonNull(kind, "kind");
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

    /** A step of this kind and name; the rest said by the builder's methods. */
    public static Builder of(StepKind kind, String name) {
        return new Builder(kind, name);
    }

    /** Builds a step: SQL and a lock are required; no undo, not transactional, not finalizing by default. */
    public static final class Builder {
        private final StepKind kind;
        private final String name;
        private String subject;
        private String description;
        private List<String> statements = List.of();
        private LockMode lock = LockMode.NONE;
        private List<QualifiedName> relations = List.of();
        private boolean transactional;
        private LockPolicy policy;
        private List<String> undo = List.of();
        private boolean finalizes;

        private Builder(StepKind kind, String name) {
            this.kind = kind;
            this.name = name;
            this.description = name;
        }

        public Builder subject(String newSubject) {
            this.subject = newSubject;
            return this;
        }

        public Builder description(String newDescription) {
            this.description = newDescription;
            return this;
        }

        public Builder sql(List<String> newStatements) {
            this.statements = newStatements;
            return this;
        }

        public Builder sql(String... newStatements) {
            return sql(List.of(newStatements));
        }

        public Builder locks(LockMode newLock, List<QualifiedName> newRelations) {
            this.lock = newLock;
            this.relations = newRelations;
            return this;
        }

        /** Its statements run in one transaction. */
        public Builder transactional() {
            this.transactional = true;
            return this;
        }

        public Builder policy(LockPolicy newPolicy) {
            this.policy = newPolicy;
            return this;
        }

        public Builder undo(List<String> newUndo) {
            this.undo = newUndo;
            return this;
        }

        /** Once it has completed, a later failure no longer undoes earlier steps. */
        public Builder finalizes() {
            this.finalizes = true;
            return this;
        }

        public Step build() {
            Objects.requireNonNull(policy, "policy");
            return new Step(kind, subject, name, description, statements, lock, relations, transactional, policy,
                    undo, finalizes);
        }
    }
}

package io.zerolock.check.rules;

import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.plan.LockMode;
import java.util.List;

/** The lock a recognised statement takes on tables that existed before it, as PostgreSQL documents it. */
public final class Locks {

    private static final LockMode ACCESS_EXCLUSIVE = LockMode.ACCESS_EXCLUSIVE;
    private static final LockMode SHARE_ROW_EXCLUSIVE = LockMode.SHARE_ROW_EXCLUSIVE;
    private static final LockMode EXCLUSIVE = LockMode.EXCLUSIVE;
    private static final LockMode SHARE = LockMode.SHARE;

    private Locks() {}

    /** A lock that blocks the application and what it is taken on, e.g. {@code ACCESS EXCLUSIVE on orders}. */
    public record BlockingLock(LockMode mode, String on) {
        @Override
        public String toString() {
            return mode.sql() + " on " + on;
        }
    }

    /**
     * The strongest lock that blocks the application (SHARE or stronger) taken on an existing table; null
     * when none.
     */
    public static BlockingLock blockingLock(Recognized recognized, MigrationState state) {
        if (recognized instanceof Recognized.CreateIndex index && !index.concurrently() && !index.only()) {
            return on(SHARE, index.table(), state);
        }
        if (recognized instanceof Recognized.DropIndex drop && !drop.concurrently()
                && drop.indexes().stream().noneMatch(state::isNewIndex)
                // IF EXISTS of an index no migration created: most likely nothing there, nothing locked
                && !(drop.ifExists() && drop.indexes().stream().noneMatch(state::knownIndex))) {
            return new BlockingLock(ACCESS_EXCLUSIVE, "the table of " + drop.indexes().get(0));
        }
        if (recognized instanceof Recognized.Reindex reindex && !reindex.concurrently()) {
            return reindex.target() == null ? null : new BlockingLock(SHARE, reindex.target() + "'s table(s)");
        }
        if (recognized instanceof Recognized.CreateTable create) {
            // a new table's foreign keys lock the tables they reference, which have rows and writers
            if (create.partitionOf() != null) {
                return on(ACCESS_EXCLUSIVE, create.partitionOf(), state);
            }
            return on(SHARE_ROW_EXCLUSIVE, create.references(), state);
        }
        if (recognized instanceof Recognized.AlterTable alter) {
            if (alter.ifExists() && !state.knownTable(alter.table())) {
                return null; // IF EXISTS of a table no migration made: most likely nothing there, nothing locked
            }
            BlockingLock own = on(alterLock(alter), alter.table(), state);
            if (own != null && own.mode() != SHARE) {
                return own;
            }
            // a foreign key added (to a new table, too) takes SHARE ROW EXCLUSIVE on the table it references
            List<Name> referenced = alter.actions().stream()
                    .filter(a -> a instanceof Action.AddConstraint add && add.kind() == Action.ConstraintKind.FOREIGN_KEY
                            && add.references() != null && !add.references().sameAs(alter.table()))
                    .map(a -> ((Action.AddConstraint) a).references()).toList();
            BlockingLock theirs = on(SHARE_ROW_EXCLUSIVE, referenced, state);
            return own != null ? own : theirs;
        }
        if (recognized instanceof Recognized.Cluster cluster) {
            return cluster.table() == null ? new BlockingLock(ACCESS_EXCLUSIVE, "every clustered table")
                    : on(ACCESS_EXCLUSIVE, cluster.table(), state);
        }
        if (recognized instanceof Recognized.VacuumFull vacuum) {
            return vacuum.tables().isEmpty() ? new BlockingLock(ACCESS_EXCLUSIVE, "every table")
                    : on(ACCESS_EXCLUSIVE, vacuum.tables(), state);
        }
        if (recognized instanceof Recognized.RefreshMaterializedView refresh) {
            return on(refresh.concurrently() ? EXCLUSIVE : ACCESS_EXCLUSIVE, refresh.view(), state);
        }
        if (recognized instanceof Recognized.CreateTrigger trigger) {
            return on(SHARE_ROW_EXCLUSIVE, trigger.table(), state);
        }
        if (recognized instanceof Recognized.AlterIndex alter) {
            if (state.isNewIndex(alter.index())) {
                return null;
            }
            return alter.setTablespace() || state.pgVersion() < 12
                    ? new BlockingLock(ACCESS_EXCLUSIVE, "index " + alter.index()) : null;
        }
        if (recognized instanceof Recognized.AlterSequence sequence) {
            return new BlockingLock(SHARE_ROW_EXCLUSIVE, "sequence " + sequence.sequence());
        }
        if (recognized instanceof Recognized.ReplaceView view) {
            return on(ACCESS_EXCLUSIVE, view.view(), state);
        }
        if (recognized instanceof Recognized.DropTrigger trigger) {
            return on(ACCESS_EXCLUSIVE, trigger.table(), state);
        }
        if (recognized instanceof Recognized.Truncate truncate) {
            return on(ACCESS_EXCLUSIVE, truncate.tables(), state);
        }
        if (recognized instanceof Recognized.DropTable drop) {
            return on(ACCESS_EXCLUSIVE, drop.tables(), state);
        }
        if (recognized instanceof Recognized.LockTable lock) {
            return lock.mode() != null && lock.mode().blocksApplication() ? on(lock.mode(), lock.tables(), state)
                    : null;
        }
        return null;
    }

    /** The lock an ALTER TABLE takes: the strongest any of its sub-commands needs. */
    public static LockMode alterLock(Recognized.AlterTable alter) {
        LockMode strongest = null;
        for (Action action : alter.actions()) {
            LockMode lock = alterLock(action);
            if (lock != null) {
                strongest = strongest == null ? lock : strongest.max(lock);
            }
        }
        return strongest;
    }

    private static LockMode alterLock(Action action) {
        if (action instanceof Action.ValidateConstraint || action instanceof Action.AttachPartition) {
            return null; // SHARE UPDATE EXCLUSIVE on the table: reads and writes go on
        }
        if (action instanceof Action.DetachPartition detach && detach.concurrently()) {
            return null;
        }
        if (action instanceof Action.AddConstraint add && add.kind() == Action.ConstraintKind.FOREIGN_KEY) {
            return SHARE_ROW_EXCLUSIVE;
        }
        if (action instanceof Action.EnableDisableTrigger) {
            return SHARE_ROW_EXCLUSIVE;
        }
        if (action instanceof Action.Other other && other.text().toLowerCase(java.util.Locale.ROOT)
                .matches("(set|reset) \\(.*|alter( column)? .* set statistics .*|cluster on .*|set without cluster")) {
            return null;
        }
        return ACCESS_EXCLUSIVE;
    }

    private static BlockingLock on(LockMode lock, Name table, MigrationState state) {
        return lock == null || state.isNew(table) ? null : new BlockingLock(lock, table.toString());
    }

    private static BlockingLock on(LockMode lock, List<Name> tables, MigrationState state) {
        List<Name> existing = tables.stream().filter(t -> !state.isNew(t)).toList();
        return existing.isEmpty() ? null : new BlockingLock(lock, String.join(", ", existing.stream()
                .map(Name::toString).toList()));
    }
}

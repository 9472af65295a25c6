package io.zerolock.check.rules;

import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import java.util.List;

/** The lock a recognised statement takes on tables that existed before it, as PostgreSQL documents it. */
public final class Locks {

    public static final String ACCESS_EXCLUSIVE = "ACCESS EXCLUSIVE";
    public static final String SHARE_ROW_EXCLUSIVE = "SHARE ROW EXCLUSIVE";
    public static final String EXCLUSIVE = "EXCLUSIVE";
    public static final String SHARE = "SHARE";

    private Locks() {}

    /**
     * The strongest lock that blocks the application (SHARE or stronger) taken on an existing table, as
     * {@code "ACCESS EXCLUSIVE on orders"}; null when none.
     */
    public static String blockingLock(Recognized recognized, MigrationState state) {
        if (recognized instanceof Recognized.CreateIndex index && !index.concurrently() && !index.only()) {
            return on(SHARE, index.table(), state);
        }
        if (recognized instanceof Recognized.DropIndex drop && !drop.concurrently()
                && drop.indexes().stream().noneMatch(state::isNewIndex)
                // IF EXISTS of an index no migration created: most likely nothing there, nothing locked
                && !(drop.ifExists() && drop.indexes().stream().noneMatch(state::knownIndex))) {
            return ACCESS_EXCLUSIVE + " on the table of " + drop.indexes().get(0);
        }
        if (recognized instanceof Recognized.Reindex reindex && !reindex.concurrently()) {
            return reindex.target() == null ? null : SHARE + " on " + reindex.target() + "'s table(s)";
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
            String own = on(alterLock(alter), alter.table(), state);
            if (own != null && !own.startsWith(SHARE + " ")) {
                return own;
            }
            // a foreign key added (to a new table, too) takes SHARE ROW EXCLUSIVE on the table it references
            List<Name> referenced = alter.actions().stream()
                    .filter(a -> a instanceof Action.AddConstraint add && add.kind() == Action.ConstraintKind.FOREIGN_KEY
                            && add.references() != null && !add.references().sameAs(alter.table()))
                    .map(a -> ((Action.AddConstraint) a).references()).toList();
            String theirs = on(SHARE_ROW_EXCLUSIVE, referenced, state);
            return own != null ? own : theirs;
        }
        if (recognized instanceof Recognized.Cluster cluster) {
            return cluster.table() == null ? ACCESS_EXCLUSIVE + " on every clustered table"
                    : on(ACCESS_EXCLUSIVE, cluster.table(), state);
        }
        if (recognized instanceof Recognized.VacuumFull vacuum) {
            return vacuum.tables().isEmpty() ? ACCESS_EXCLUSIVE + " on every table"
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
            return alter.setTablespace() || state.pgVersion() < 12 ? ACCESS_EXCLUSIVE + " on index " + alter.index()
                    : null;
        }
        if (recognized instanceof Recognized.AlterSequence sequence) {
            return SHARE_ROW_EXCLUSIVE + " on sequence " + sequence.sequence();
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
            String mode = lock.mode();
            boolean blocking = mode.equals(ACCESS_EXCLUSIVE) || mode.equals(EXCLUSIVE) || mode.equals(SHARE_ROW_EXCLUSIVE)
                    || mode.equals(SHARE);
            return blocking ? on(mode, lock.tables(), state) : null;
        }
        return null;
    }

    /** The lock an ALTER TABLE takes: the strongest any of its sub-commands needs. */
    static String alterLock(Recognized.AlterTable alter) {
        String strongest = null;
        for (Action action : alter.actions()) {
            String lock = alterLock(action);
            if (lock != null && (strongest == null || rank(lock) > rank(strongest))) {
                strongest = lock;
            }
        }
        return strongest;
    }

    private static String alterLock(Action action) {
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

    private static int rank(String lock) {
        return List.of(SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE).indexOf(lock);
    }

    private static String on(String lock, Name table, MigrationState state) {
        return lock == null || state.isNew(table) ? null : lock + " on " + table;
    }

    private static String on(String lock, List<Name> tables, MigrationState state) {
        List<Name> existing = tables.stream().filter(t -> !state.isNew(t)).toList();
        return existing.isEmpty() ? null : lock + " on " + String.join(", ", existing.stream().map(Name::toString)
                .toList());
    }
}

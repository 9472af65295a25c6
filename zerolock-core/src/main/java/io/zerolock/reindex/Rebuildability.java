package io.zerolock.reindex;

import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.Persistence;
import io.zerolock.catalog.RelationKind;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.catalog.TablePrivileges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Decides, from catalog facts alone, whether and how an index can be rebuilt online on this server. */
public final class Rebuildability {

    private Rebuildability() {}

    public static RebuildVerdict assess(IndexDefinition index, Optional<Constraint> constraint,
            List<ForeignKey> referencingKeys, ServerInfo server) {
        if (server.inRecovery()) {
            return RebuildVerdict.refused("the server is a replica (in recovery): indexes can only be rebuilt on "
                    + "the primary", "connect to the primary; the rebuild replicates to the standbys");
        }
        if (index.systemCatalog()) {
            return RebuildVerdict.refused("index of a system catalog: cannot be rebuilt concurrently",
                    "REINDEX INDEX (without CONCURRENTLY) as a superuser in a maintenance window");
        }
        if (index.persistence() == Persistence.TEMPORARY) {
            return RebuildVerdict.refused("index of a temporary table: only its own session can see it",
                    "run REINDEX INDEX in the session that owns the table");
        }
        if (index.exclusion()) {
            return RebuildVerdict.refused("index of an exclusion constraint: PostgreSQL cannot rebuild it "
                    + "concurrently, and a twin cannot be attached to the constraint",
                    "REINDEX INDEX in a maintenance window (it blocks writes to the table, and queries that would "
                            + "use the index, while it runs)");
        }
        if (server.major() == 14 && server.minor() < 4) {
            return RebuildVerdict.refused("PostgreSQL " + server.version() + " can corrupt indexes built "
                    + "concurrently (fixed in 14.4)", "upgrade to 14.4 or later, then rebuild every index "
                    + "built concurrently on " + server.version());
        }
        if (index.tableKind() == RelationKind.TOAST_TABLE && !index.valid()) {
            return RebuildVerdict.refused("invalid index of a TOAST table: rebuilding it concurrently leaves a "
                    + "duplicate before 12.10/13.6, and later servers refuse it",
                    "REINDEX TABLE of the owning table (without CONCURRENTLY) in a maintenance window");
        }

        List<Strategy> strategies = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (server.major() >= 12) {
            strategies.add(Strategy.NATIVE);
        } else {
            notes.add("native needs PostgreSQL 12+");
        }
        swapObstacle(index, constraint, referencingKeys).ifPresentOrElse(notes::add, () -> strategies.add(Strategy.SWAP));
        if (strategies.isEmpty()) {
            return RebuildVerdict.refused(String.join("; ", notes),
                    "upgrade to PostgreSQL 12+ for REINDEX INDEX CONCURRENTLY, or REINDEX INDEX in a maintenance "
                            + "window");
        }
        return new RebuildVerdict(strategies, notes.isEmpty() ? null : String.join("; ", notes), null);
    }

    /**
     * As {@link #assess(IndexDefinition, Optional, List, ServerInfo)}, then keeps only the strategies the
     * current role may run: native needs ownership of the table (or MAINTAIN on 17+); swap needs ownership
     * of the table and of every table whose foreign keys it re-creates. Refused up front, naming who may.
     */
    public static RebuildVerdict assess(IndexDefinition index, Optional<Constraint> constraint,
            List<ForeignKey> referencingKeys, ServerInfo server, Function<Long, TablePrivileges> privileges) {
        RebuildVerdict verdict = assess(index, constraint, referencingKeys, server);
        if (!verdict.online()) {
            return verdict;
        }
        TablePrivileges own = privileges.apply(index.tableOid());
        List<Strategy> permitted = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Strategy strategy : verdict.strategies()) {
            List<TablePrivileges> needed = new ArrayList<>(List.of(own));
            if (strategy == Strategy.SWAP) {
                referencingKeys.stream().map(ForeignKey::tableOid).distinct().filter(oid -> oid != index.tableOid())
                        .map(privileges).forEach(needed::add);
            }
            Optional<TablePrivileges> missing = needed.stream()
                    .filter(p -> strategy == Strategy.NATIVE ? !p.maintain() : !p.owns()).findFirst();
            if (missing.isEmpty()) {
                permitted.add(strategy);
            } else {
                denied.add(strategy.id() + " needs " + (strategy == Strategy.NATIVE && server.major() >= 17
                        ? "ownership or MAINTAIN of " : "ownership of ") + missing.get().table().display()
                        + " (owner: " + missing.get().owner() + ")");
            }
        }
        String role = own.role();
        if (permitted.isEmpty()) {
            return RebuildVerdict.refused("role " + role + " may not rebuild it: " + String.join("; ", denied),
                    "run as the owner (or a role that is a member of it, or a superuser)"
                            + (server.major() >= 17 ? ", or GRANT MAINTAIN ON TABLE " + own.table().display()
                                    + " TO " + role + " for native" : ""));
        }
        List<String> notes = new ArrayList<>();
        if (verdict.reason() != null) {
            notes.add(verdict.reason());
        }
        notes.addAll(denied);
        return new RebuildVerdict(permitted, notes.isEmpty() ? null : String.join("; ", notes), null);
    }

    /** Why the swap strategy cannot keep this index exact, if it cannot. */
    static Optional<String> swapObstacle(IndexDefinition index, Optional<Constraint> constraint,
            List<ForeignKey> referencingKeys) {
        if (index.partitioned()) {
            return Optional.of("swap cannot replace a partitioned index (use --strategy native)");
        }
        if (index.isPartitionLeaf()) {
            return Optional.of("swap cannot replace an index attached to a partitioned index (use --strategy native)");
        }
        if (index.tableKind() == RelationKind.TOAST_TABLE) {
            return Optional.of("swap cannot build indexes on a TOAST table (use --strategy native)");
        }
        if (referencingKeys.stream().anyMatch(fk -> fk.onPartitionedTable() || fk.isInherited())) {
            return Optional.of("swap cannot re-create foreign keys declared on or referencing partitioned tables "
                    + "exactly (use --strategy native)");
        }
        if (constraint.isPresent() && constraint.get().isInherited()) {
            return Optional.of("swap cannot replace a constraint inherited from a partitioned table "
                    + "(use --strategy native)");
        }
        return Optional.empty();
    }
}

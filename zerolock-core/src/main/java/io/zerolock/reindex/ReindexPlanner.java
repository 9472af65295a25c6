package io.zerolock.reindex;

import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ConstraintType;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexColumn;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Sql;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns one index into a plan: pure, no database access; the SQL is fully schema-qualified. */
public final class ReindexPlanner {

    private final ReindexOptions options;
    private final ServerInfo server;

    public ReindexPlanner(ReindexOptions options, ServerInfo server) {
        this.options = options;
        this.server = server;
    }

    public Plan plan(ReindexTarget target, Strategy strategy) {
        List<Step> steps = strategy == Strategy.NATIVE ? nativeSteps(target) : swapSteps(target);
        return new Plan(target.index().name().display(), strategy.id(), steps, options.buildSettings(), bounded());
    }

    private LockPolicy bounded() {
        return LockPolicy.bounded(options.lockTimeout(), options.lockAttempts());
    }

    private List<Step> nativeSteps(ReindexTarget target) {
        IndexDefinition index = target.index();
        List<IndexDefinition> indexes = index.partitioned() ? target.leaves() : List.of(index);
        List<Step> steps = new ArrayList<>();
        dropLeftovers(target).ifPresent(steps::add);
        for (IndexDefinition leaf : indexes) {
            steps.add(new Step(StepKind.REINDEX, null, indexes.size() == 1 ? "reindex" : "reindex:" + leaf.name().name(),
                    "rebuild " + leaf.name().display() + " with REINDEX CONCURRENTLY",
                    List.of("REINDEX INDEX CONCURRENTLY " + leaf.name().sql()), LockMode.SHARE_UPDATE_EXCLUSIVE,
                    List.of(leaf.table(), leaf.name()), false, LockPolicy.concurrentBuild(), List.of(), false));
        }
        return steps;
    }

    private List<Step> swapSteps(ReindexTarget target) {
        IndexDefinition index = target.index();
        QualifiedName working = QualifiedName.of(index.name().schema(), target.workingIndexName());
        List<Step> steps = new ArrayList<>();
        dropLeftovers(target).ifPresent(steps::add);
        if (!target.twinBuilt()) {
            steps.add(buildStep(index, working));
        }
        if (target.needsLockedSwap()) {
            steps.add(lockedSwapStep(target, working));
            for (ForeignKey fk : target.referencingKeys()) {
                if (fk.validated()) {
                    steps.add(new Step(StepKind.VALIDATE, fk.name(), "validate:" + fk.name(), "check the existing rows of " + fk.table().display()
                            + " against the re-created foreign key " + fk.name(),
                            List.of("ALTER TABLE " + fk.table().sql() + " VALIDATE CONSTRAINT " + Sql.ident(fk.name())),
                            LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(fk.table()), true, bounded(), List.of(), false));
                }
            }
            analyzeStep(index).ifPresent(steps::add);
        } else {
            steps.add(renameSwapStep(target, working));
            analyzeStep(index).ifPresent(steps::add);
            QualifiedName retired = QualifiedName.of(index.name().schema(), target.retiredIndexName());
            steps.add(new Step(StepKind.DROP, null, "drop-old", "drop the original index, now renamed " + retired.display(),
                    List.of("DROP INDEX CONCURRENTLY IF EXISTS " + retired.sql()), LockMode.SHARE_UPDATE_EXCLUSIVE,
                    List.of(index.table(), retired), false, bounded(), List.of(), false));
        }
        return steps;
    }

    /** Leftovers of interrupted runs on this index, dropped concurrently before anything is built. */
    private Optional<Step> dropLeftovers(ReindexTarget target) {
        if (target.leftovers().isEmpty()) {
            return Optional.empty();
        }
        List<QualifiedName> relations = new ArrayList<>(List.of(target.index().table()));
        relations.addAll(target.leftovers());
        return Optional.of(new Step(StepKind.DROP, null, "drop-leftover", "drop what an interrupted earlier run left behind",
                target.leftovers().stream().map(l -> "DROP INDEX CONCURRENTLY IF EXISTS " + l.sql()).toList(),
                LockMode.SHARE_UPDATE_EXCLUSIVE, relations, false, bounded(), List.of(), false));
    }

    /** When an earlier run built the twin, nothing else undoes it if the swap fails: the swap does. */
    private static List<String> adoptedTwinUndo(ReindexTarget target, QualifiedName working) {
        return target.twinBuilt() ? List.of("DROP INDEX CONCURRENTLY IF EXISTS " + working.sql()) : List.of();
    }

    private Step buildStep(IndexDefinition index, QualifiedName working) {
        String tablespace = index.tablespace() == null ? "" : index.tablespace();
        return new Step(StepKind.BUILD, null, "build", "build a twin of " + index.name().display() + " concurrently",
                List.of("SET default_tablespace = " + Sql.literal(tablespace),
                        Sql.concurrentTwin(index.definition(), working.name()),
                        "RESET default_tablespace"),
                LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(index.table()), false, LockPolicy.concurrentBuild(),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + working.sql()), false);
    }

    /**
     * Plain index: in one short transaction, move the original aside and give the twin its name and
     * properties; the original is dropped concurrently afterwards. The table always has the index.
     */
    private Step renameSwapStep(ReindexTarget target, QualifiedName working) {
        IndexDefinition index = target.index();
        List<String> sql = new ArrayList<>(moveStatistics(index, working));
        sql.add("ALTER INDEX " + index.name().sql() + " RENAME TO " + Sql.ident(target.retiredIndexName()));
        sql.add("ALTER INDEX " + working.sql() + " RENAME TO " + Sql.ident(index.name().name()));
        sql.addAll(restoreProperties(target, index.name()));
        LockMode lock = index.replicaIdentity() || server.major() < 12 ? LockMode.ACCESS_EXCLUSIVE
                : LockMode.SHARE_UPDATE_EXCLUSIVE;
        return new Step(StepKind.SWAP, null, "swap", "give the twin the original's name and properties", sql, lock,
                List.of(index.table(), index.name()), true, bounded(), adoptedTwinUndo(target, working), true);
    }

    /**
     * Constraint or foreign keys: lock every affected table up front, referenced table first (the
     * original tool's order - drop the FK, then touch the parent - deadlocks with application
     * transactions), then replace the constraint and re-create the foreign keys NOT VALID.
     */
    private Step lockedSwapStep(ReindexTarget target, QualifiedName working) {
        IndexDefinition index = target.index();
        Set<QualifiedName> tables = new LinkedHashSet<>();
        tables.add(index.table());
        target.referencingKeys().forEach(fk -> tables.add(fk.table()));

        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLE " + String.join(", ", tables.stream().map(QualifiedName::sql).toList())
                + " IN ACCESS EXCLUSIVE MODE");
        sql.addAll(moveStatistics(index, working));
        for (ForeignKey fk : target.referencingKeys()) {
            sql.add("ALTER TABLE " + fk.table().sql() + " DROP CONSTRAINT " + Sql.ident(fk.name()));
        }
        if (target.constraint().isPresent()) {
            Constraint constraint = target.constraint().get();
            sql.add("ALTER TABLE " + index.table().sql() + " DROP CONSTRAINT " + Sql.ident(constraint.name()));
            String kind = constraint.type() == ConstraintType.PRIMARY_KEY ? "PRIMARY KEY" : "UNIQUE";
            String deferral = !constraint.deferrable() ? ""
                    : constraint.initiallyDeferred() ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
            sql.add("ALTER TABLE " + index.table().sql() + " ADD CONSTRAINT " + Sql.ident(constraint.name()) + " "
                    + kind + " USING INDEX " + Sql.ident(working.name()) + deferral);
            if (!constraint.name().equals(index.name().name())) {
                sql.add("ALTER INDEX " + QualifiedName.of(index.name().schema(), constraint.name()).sql()
                        + " RENAME TO " + Sql.ident(index.name().name()));
            }
            if (constraint.comment() != null) {
                sql.add("COMMENT ON CONSTRAINT " + Sql.ident(constraint.name()) + " ON " + index.table().sql()
                        + " IS " + Sql.literal(constraint.comment()));
            }
        } else {
            sql.add("DROP INDEX " + index.name().sql());
            sql.add("ALTER INDEX " + working.sql() + " RENAME TO " + Sql.ident(index.name().name()));
        }
        for (ForeignKey fk : target.referencingKeys()) {
            sql.add("ALTER TABLE " + fk.table().sql() + " ADD CONSTRAINT " + Sql.ident(fk.name()) + " "
                    + Sql.withoutNotValid(fk.definition()) + " NOT VALID");
            if (fk.comment() != null) {
                sql.add("COMMENT ON CONSTRAINT " + Sql.ident(fk.name()) + " ON " + fk.table().sql() + " IS "
                        + Sql.literal(fk.comment()));
            }
        }
        sql.addAll(restoreProperties(target, index.name()));
        return new Step(StepKind.SWAP, null, "swap", "replace the index in one short locked transaction", sql, LockMode.ACCESS_EXCLUSIVE,
                List.copyOf(tables), true, bounded(), adoptedTwinUndo(target, working), true);
    }

    /**
     * An expression index has planner statistics of its own, which a new index does not: the twin takes
     * over the original's rows, as REINDEX CONCURRENTLY does. Only a superuser may write pg_statistic;
     * for other roles {@link #analyzeStep} gathers them afresh instead.
     */
    private List<String> moveStatistics(IndexDefinition index, QualifiedName working) {
        if (!hasExpressions(index) || !server.superuser()) {
            return List.of();
        }
        return List.of("UPDATE pg_catalog.pg_statistic SET starelid = " + Sql.literal(working.sql())
                + "::pg_catalog.regclass WHERE starelid = " + Sql.literal(index.name().sql()) + "::pg_catalog.regclass");
    }

    /** Statistics of an expression index when the role may not move them: ANALYZE, which blocks no one. */
    private Optional<Step> analyzeStep(IndexDefinition index) {
        if (!hasExpressions(index) || server.superuser()) {
            return Optional.empty();
        }
        return Optional.of(new Step(StepKind.ANALYZE, null, "analyze", "gather the planner statistics of the rebuilt expression index "
                + "(only a superuser can carry the old ones over)", List.of("ANALYZE " + index.table().sql()),
                LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(index.table()), false, bounded(), List.of(), false));
    }

    private static boolean hasExpressions(IndexDefinition index) {
        return index.columns().stream().anyMatch(IndexColumn::expression);
    }

    /** Statistics targets, comment, replica identity and CLUSTER, now on the twin under the original name. */
    private static List<String> restoreProperties(ReindexTarget target, QualifiedName name) {
        IndexDefinition index = target.index();
        List<String> sql = new ArrayList<>();
        for (IndexColumn column : index.columns()) {
            if (column.statisticsTarget() != null) {
                sql.add("ALTER INDEX " + name.sql() + " ALTER COLUMN " + column.position() + " SET STATISTICS "
                        + column.statisticsTarget());
            }
        }
        if (index.comment() != null) {
            sql.add("COMMENT ON INDEX " + name.sql() + " IS " + Sql.literal(index.comment()));
        }
        if (index.replicaIdentity()) {
            sql.add("ALTER TABLE " + index.table().sql() + " REPLICA IDENTITY USING INDEX " + Sql.ident(name.name()));
        }
        if (index.clustered()) {
            sql.add("ALTER TABLE " + index.table().sql() + " CLUSTER ON " + Sql.ident(name.name()));
        }
        return sql;
    }
}

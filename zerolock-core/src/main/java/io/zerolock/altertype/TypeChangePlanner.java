package io.zerolock.altertype;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.ColumnDefinition;
import io.zerolock.catalog.ColumnDependent;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ConstraintType;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.catalog.RelationKind;
import io.zerolock.execute.Backfill;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Sql;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A column's type change as a plan, pure (no database access): expand (a new column kept in step by a
 * trigger), backfill in key ranges, mirror what uses the column (indexes built concurrently, checks and NOT
 * NULL validated), then one short locked swap, then the foreign keys validated. Every step before the swap
 * can run again (a run that died is finished by running the plan again); the old column is kept, renamed,
 * until {@code --finish}. What cannot be carried over exactly is refused before anything runs.
 */
public final class TypeChangePlanner {

    public static final String KIND = "alter-type";

    /** The comment that marks a retired column as zerolock's (what {@code --finish} may drop). */
    static final String RETIRED_MARK = "zerolock: retired by alter-type";

    private final int major;
    private final AlterTypeOptions options;

    public TypeChangePlanner(int major, AlterTypeOptions options) {
        this.major = major;
        this.options = options;
    }

    /** The column zerolock adds, of the new type, while the change runs. */
    static String newColumn(ColumnDefinition column) {
        return "zerolock_new_" + column.number();
    }

    static String trigger(ColumnDefinition column) {
        return "zerolock_sync_" + column.number();
    }

    static QualifiedName function(ColumnDefinition column) {
        return QualifiedName.of(column.table().schema(), "zerolock_sync_" + column.tableOid() + "_" + column.number());
    }

    static String twinIndex(IndexDefinition index) {
        return "zerolock_" + index.oid() + "_typed";
    }

    static String twinCheck(Constraint check) {
        return "zerolock_" + check.oid() + "_typed";
    }

    static String notNullCheck(ColumnDefinition column) {
        return "zerolock_" + column.number() + "_not_null";
    }

    /** The name the old column gets at the swap: {@code <column>_retired}, clipped to 63 bytes. */
    public static String retiredName(String column) {
        return Identifiers.clip(column, Identifiers.MAX_BYTES - "_retired".length()) + "_retired";
    }

    /** Refuses, with the reason and what to do, what this operation cannot carry over exactly. */
    public void requireSupported(TypeChangeTarget target) {
        ColumnDefinition column = target.column();
        List<String> reasons = new ArrayList<>();
        if (column.tableKind() == RelationKind.PARTITIONED_TABLE) {
            reasons.add("it is a column of a partitioned table: change it partition by partition is not supported; "
                    + "plain ALTER TABLE rewrites every partition under ACCESS EXCLUSIVE, so do it in a maintenance "
                    + "window, or create a new partitioned table of the new type and move the data");
        }
        if (target.inheritance()) {
            reasons.add("the table has inheritance parents or children, which would have to change with it");
        }
        if (!column.generated().isEmpty()) {
            reasons.add("it is a generated column: change its expression's type instead");
        }
        if (target.key() == null) {
            reasons.add(column.table().display() + " has no single-column integer primary key to backfill the new "
                    + "column in key ranges: add one first");
        }
        if (column.notNull() && major < 12) {
            reasons.add("it is NOT NULL and PostgreSQL " + major + " cannot take a validated CHECK as proof: the "
                    + "swap's SET NOT NULL (and a primary key's USING INDEX) would scan the whole table under "
                    + "ACCESS EXCLUSIVE; on 12 or later it does not");
        }
        if (target.retiredTaken()) {
            reasons.add("the table already has a column named " + Identifiers.display(target.retiredName())
                    + ", the name the old column would be kept under: rename or drop it first (after a finished "
                    + "change, run alter-type --finish)");
        }
        if (column.privileges()) {
            reasons.add("privileges are granted on the column itself (GRANT ... (" + Identifiers.display(column.name())
                    + ")), which zerolock does not carry over: revoke them, change the type, grant them again");
        }
        for (Constraint constraint : target.constraints()) {
            if (constraint.type() == ConstraintType.EXCLUSION) {
                reasons.add("exclusion constraint " + Identifiers.display(constraint.name()) + " uses it: an "
                        + "exclusion constraint cannot be added from an index built concurrently");
            }
        }
        for (ForeignKey fk : target.referencing()) {
            if (fk.onPartitionedTable() || fk.isInherited()) {
                reasons.add("foreign key " + Identifiers.display(fk.root().name()) + " of partitioned table "
                        + fk.root().table().display() + " references it: not supported");
            }
        }
        for (ColumnDependent other : target.others()) {
            reasons.add(switch (other.kind()) {
                case VIEW -> "view " + Identifiers.display(other.name()) + " uses it: drop the view, change the "
                        + "type, create the view again (in one migration), or change the view to not use the column";
                case TRIGGER -> "trigger " + Identifiers.display(other.name()) + " names it (UPDATE OF or WHEN)";
                case POLICY -> "row security policy " + Identifiers.display(other.name()) + " uses it";
                case STATISTICS -> "extended statistics " + Identifiers.display(other.name()) + " use it";
                case GENERATED_COLUMN -> "generated column " + Identifiers.display(other.name()) + " is computed "
                        + "from it";
                case PUBLICATION -> "publication " + Identifiers.display(other.name()) + " publishes the table: "
                        + "subscribers would receive the new column and then the swap's renames, which their own "
                        + "table does not have, and logical replication would stop; change the subscriber's table "
                        + "first (add the new column there), or take the table out of the publication while you do";
                default -> Identifiers.display(other.name()) + " depends on it";
            });
        }
        if (!reasons.isEmpty()) {
            throw new ZerolockException(ErrorCode.REFUSED, "cannot change the type of " + target.display()
                    + " online: " + String.join("; ", reasons) + ". Nothing was changed.");
        }
    }

    /** The plan of a type change PostgreSQL makes without a rewrite: one bounded ALTER. */
    public Plan inPlace(TypeChangeTarget target) {
        ColumnDefinition column = target.column();
        return new Plan(target.display(), "in-place", List.of(Step.of(StepKind.ALTER, "alter")
                .description("PostgreSQL changes this type without rewriting the table: one short ALTER")
                .sql("ALTER TABLE " + column.table().sql() + " ALTER COLUMN " + Sql.ident(column.name()) + " TYPE "
                        + target.newType() + (target.using() == null ? "" : " USING " + target.using()))
                .locks(LockMode.ACCESS_EXCLUSIVE, List.of(column.table())).transactional().policy(bounded())
                .build()), List.of(), bounded());
    }

    /** The whole online change: expand, backfill, mirror, swap, validate (of the cascaded columns too). */
    public Plan plan(TypeChangeTarget target) {
        target.withCascaded().forEach(this::requireSupported);
        List<Step> steps = new ArrayList<>();
        for (TypeChangeTarget each : target.withCascaded()) {
            steps.addAll(prepare(each, suffix(target, each)));
        }
        steps.add(swap(target));
        Set<Long> validated = new java.util.HashSet<>();
        Set<String> names = new java.util.HashSet<>();
        for (TypeChangeTarget each : target.withCascaded()) {
            for (ForeignKey fk : each.referencing()) {
                if (fk.validated() && validated.add(fk.oid())) {
                    steps.add(validateForeignKey(fk.table(), fk.name(), names));
                }
            }
            for (Constraint fk : ownForeignKeys(each)) {
                if (fk.validated() && validated.add(fk.oid())) {
                    steps.add(validateForeignKey(each.column().table(), fk.name(), names));
                }
            }
        }
        return new Plan(target.display(), "online", steps, List.of(), bounded());
    }

    /** Step names of a cascaded column's steps end with {@code @<its table>}; the column's own have none. */
    private static String suffix(TypeChangeTarget root, TypeChangeTarget each) {
        return each == root ? "" : "@" + each.column().table().display();
    }

    /**
     * One column's steps before the swap: expand (the column, the trigger, and the checks the new column
     * must meet, NOT VALID, all in the first short transaction, while the table is calm), backfill, VACUUM,
     * validations, indexes. After the backfill nothing takes more than SHARE UPDATE EXCLUSIVE until the swap:
     * an ACCESS EXCLUSIVE step then would queue the application behind autovacuum, which the backfill's
     * updates wake up and which gives way only after deadlock_timeout.
     */
    private List<Step> prepare(TypeChangeTarget target, String suffix) {
        ColumnDefinition column = target.column();
        QualifiedName table = column.table();
        String alter = "ALTER TABLE " + table.sql() + " ";
        String added = newColumn(column);
        List<Step> steps = new ArrayList<>();

        Map<String, String> checks = new LinkedHashMap<>(); // name: condition, on the new column
        if (column.notNull()) {
            checks.put(notNullCheck(column), Sql.ident(added) + " IS NOT NULL");
        }
        for (Constraint check : checks(target)) {
            checks.put(twinCheck(check), checkExpression(ColumnReferences.renamed(check.definition(), column.name(),
                    added)));
        }
        List<String> expand = new ArrayList<>(List.of(alter + "ADD COLUMN IF NOT EXISTS " + Sql.ident(added) + " "
                        + target.newType() + (column.collation() == null ? "" : " COLLATE " + column.collation()),
                syncFunction(target),
                "DROP TRIGGER IF EXISTS " + Sql.ident(trigger(column)) + " ON " + table.sql(),
                "CREATE TRIGGER " + Sql.ident(trigger(column)) + " BEFORE INSERT OR UPDATE ON " + table.sql()
                        + " FOR EACH ROW EXECUTE FUNCTION " + function(column).sql() + "()"));
        checks.forEach((name, condition) -> {
            expand.add(alter + "DROP CONSTRAINT IF EXISTS " + Sql.ident(name));
            expand.add(alter + "ADD CONSTRAINT " + Sql.ident(name) + " CHECK (" + condition + ") NOT VALID");
        });
        steps.add(Step.of(StepKind.ALTER, "expand" + suffix).description("add " + Identifiers.display(added) + " "
                + target.newType() + " to " + table.display() + ", the trigger that keeps it in step with every "
                + "INSERT and UPDATE" + (checks.isEmpty() ? "" : ", and its checks (NOT VALID)")).sql(expand)
                .locks(LockMode.ACCESS_EXCLUSIVE, List.of(table)).transactional().policy(bounded()).build());

        steps.add(Step.of(StepKind.BACKFILL, "backfill" + suffix).subject(table.sql())
                .description("fill " + Identifiers.display(added) + " for the existing rows, in key ranges")
                .sql(Backfill.rangeQuery(table.sql(), target.key()), Backfill.template("UPDATE " + table.sql()
                        + " SET " + Sql.ident(added) + " = " + converted(target, ""), target.key()))
                .locks(LockMode.ROW_EXCLUSIVE, List.of(table)).policy(bounded()).build());

        steps.add(Step.of(StepKind.ANALYZE, "vacuum" + suffix).description("vacuum what the backfill left (so "
                + "autovacuum has nothing to do on the table when the swap comes) and gather the new column's "
                + "statistics").sql("VACUUM (ANALYZE) " + table.sql())
                .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table)).policy(bounded()).build());
        checks.keySet().forEach(name -> steps.add(Step.of(StepKind.VALIDATE, "validate-check:" + (name.equals(
                notNullCheck(column)) ? "not-null" : checkName(target, name)) + suffix).subject(name)
                .description("the existing rows checked, writes go on").sql(alter + "VALIDATE CONSTRAINT "
                        + Sql.ident(name)).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table)).transactional()
                .policy(bounded()).build()));
        for (IndexDefinition index : target.indexes()) {
            QualifiedName twin = QualifiedName.of(index.name().schema(), twinIndex(index));
            steps.add(Step.of(StepKind.BUILD, "build:" + index.name().name() + suffix).subject(twin.sql())
                    .description("build " + index.name().display() + " on the new column, concurrently")
                    .sql("DROP INDEX CONCURRENTLY IF EXISTS " + twin.sql(), Sql.concurrentTwin(
                            ColumnReferences.renamedInIndex(index.definition(), column.name(), added), twin.name()))
                    .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table)).policy(LockPolicy.concurrentBuild())
                    .build());
        }
        return steps;
    }

    /** What {@code --abort} runs before the swap: everything the change added (to cascaded columns too), taken away. */
    public Plan abort(TypeChangeTarget target) {
        List<Step> steps = new ArrayList<>();
        for (TypeChangeTarget each : target.withCascaded()) {
            String suffix = suffix(target, each);
            ColumnDefinition column = each.column();
            QualifiedName table = column.table();
            List<String> drops = new ArrayList<>(List.of(
                    "DROP TRIGGER IF EXISTS " + Sql.ident(trigger(column)) + " ON " + table.sql(),
                    "DROP FUNCTION IF EXISTS " + function(column).sql() + "()",
                    "ALTER TABLE " + table.sql() + " DROP CONSTRAINT IF EXISTS " + Sql.ident(notNullCheck(column))));
            checks(each).forEach(check -> drops.add("ALTER TABLE " + table.sql() + " DROP CONSTRAINT IF EXISTS "
                    + Sql.ident(twinCheck(check))));
            steps.add(Step.of(StepKind.UNDO, "stop-sync" + suffix).description("remove the trigger and the checks")
                    .sql(drops).locks(LockMode.ACCESS_EXCLUSIVE, List.of(table)).transactional().policy(bounded())
                    .build());
            for (IndexDefinition index : each.indexes()) {
                QualifiedName twin = QualifiedName.of(index.name().schema(), twinIndex(index));
                steps.add(Step.of(StepKind.DROP, "drop:" + index.name().name() + suffix).subject(twin.sql())
                        .description("drop the index built on the new column").sql("DROP INDEX CONCURRENTLY IF "
                                + "EXISTS " + twin.sql()).locks(LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table))
                        .policy(bounded()).build());
            }
            steps.add(Step.of(StepKind.UNDO, "drop-column" + suffix).description("drop the new column (no rewrite)")
                    .sql("ALTER TABLE " + table.sql() + " DROP COLUMN IF EXISTS " + Sql.ident(newColumn(column)))
                    .locks(LockMode.ACCESS_EXCLUSIVE, List.of(table)).transactional().policy(bounded()).build());
        }
        return new Plan(target.display(), "abort", steps, List.of(), bounded());
    }

    /** What {@code --finish} runs after the grace period: the retired column dropped (no rewrite). */
    public Plan finish(QualifiedName table, String retired, String display) {
        return new Plan(display, "finish", List.of(Step.of(StepKind.ALTER, "drop-retired")
                .description("drop the retired column (a catalog change, no rewrite)")
                .sql("ALTER TABLE " + table.sql() + " DROP COLUMN " + Sql.ident(retired))
                .locks(LockMode.ACCESS_EXCLUSIVE, List.of(table)).transactional().policy(bounded()).build()),
                List.of(), bounded());
    }

    /**
     * The swap, in one transaction: every table locked up front in one statement (the table first, then the
     * cascaded ones, then those whose foreign keys reference them), the triggers dropped, the foreign keys on
     * the columns dropped, then for each column its constraints and indexes dropped, the columns renamed, NOT
     * NULL, default, sequence or identity, constraints (USING INDEX), indexes and checks given to the new one;
     * then the foreign keys re-created NOT VALID (they name the columns, which are now the new ones).
     */
    private Step swap(TypeChangeTarget root) {
        List<TypeChangeTarget> all = root.withCascaded();
        Set<QualifiedName> tables = new LinkedHashSet<>();
        all.forEach(each -> tables.add(each.column().table()));
        all.forEach(each -> each.referencing().forEach(fk -> tables.add(fk.table())));

        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLE " + String.join(", ", tables.stream().map(QualifiedName::sql).toList())
                + " IN ACCESS EXCLUSIVE MODE");
        for (TypeChangeTarget each : all) {
            ColumnDefinition column = each.column();
            sql.add("DROP TRIGGER " + Sql.ident(trigger(column)) + " ON " + column.table().sql());
            sql.add("DROP FUNCTION " + function(column).sql() + "()");
        }
        java.util.Map<Long, List<String>> foreignKeys = new java.util.LinkedHashMap<>();
        for (TypeChangeTarget each : all) {
            for (ForeignKey fk : each.referencing()) {
                if (!foreignKeys.containsKey(fk.oid())) {
                    sql.add("ALTER TABLE " + fk.table().sql() + " DROP CONSTRAINT " + Sql.ident(fk.name()));
                    List<String> again = new ArrayList<>(List.of("ALTER TABLE " + fk.table().sql() + " ADD CONSTRAINT "
                            + Sql.ident(fk.name()) + " " + Sql.withoutNotValid(fk.definition()) + " NOT VALID"));
                    if (fk.comment() != null) {
                        again.add("COMMENT ON CONSTRAINT " + Sql.ident(fk.name()) + " ON " + fk.table().sql() + " IS "
                                + Sql.literal(fk.comment()));
                    }
                    foreignKeys.put(fk.oid(), again);
                }
            }
            QualifiedName table = each.column().table();
            for (Constraint fk : ownForeignKeys(each)) {
                if (!foreignKeys.containsKey(fk.oid())) {
                    sql.add("ALTER TABLE " + table.sql() + " DROP CONSTRAINT " + Sql.ident(fk.name()));
                    List<String> again = new ArrayList<>(List.of("ALTER TABLE " + table.sql() + " ADD CONSTRAINT "
                            + Sql.ident(fk.name()) + " " + Sql.withoutNotValid(fk.definition()) + " NOT VALID"));
                    if (fk.comment() != null) {
                        again.add("COMMENT ON CONSTRAINT " + Sql.ident(fk.name()) + " ON " + table.sql() + " IS "
                                + Sql.literal(fk.comment()));
                    }
                    foreignKeys.put(fk.oid(), again);
                }
            }
        }
        for (TypeChangeTarget each : all) {
            sql.addAll(swapColumn(each, root));
        }
        foreignKeys.values().forEach(sql::addAll);
        return Step.of(StepKind.SWAP, "swap").description("swap the columns in one short locked transaction")
                .sql(sql).locks(LockMode.ACCESS_EXCLUSIVE, List.copyOf(tables)).transactional().policy(bounded())
                .finalizes().build();
    }

    /** One column's part of the swap, once the foreign keys on it are dropped. */
    private List<String> swapColumn(TypeChangeTarget target, TypeChangeTarget root) {
        ColumnDefinition column = target.column();
        QualifiedName table = column.table();
        String alter = "ALTER TABLE " + table.sql() + " ";
        String old = Sql.ident(column.name());
        String added = Sql.ident(newColumn(column));
        String retired = Sql.ident(target.retiredName());
        List<String> sql = new ArrayList<>();
        List<Constraint> keys = target.constraints().stream().filter(c -> c.type() == ConstraintType.PRIMARY_KEY
                || c.type() == ConstraintType.UNIQUE).toList();
        for (Constraint key : keys) {
            sql.add(alter + "DROP CONSTRAINT " + Sql.ident(key.name()));
        }
        for (IndexDefinition index : target.indexes()) {
            if (keys.stream().noneMatch(key -> key.indexOid() == index.oid())) {
                sql.add("DROP INDEX " + index.name().sql());
            }
        }
        for (Constraint check : checks(target)) {
            sql.add(alter + "DROP CONSTRAINT " + Sql.ident(check.name()));
        }
        if (column.notNull() && !column.isIdentity()) { // an identity's goes with its identity, below
            sql.add(alter + "ALTER COLUMN " + old + " DROP NOT NULL");
        }
        if (column.defaultExpression() != null && !column.isIdentity()) {
            sql.add(alter + "ALTER COLUMN " + old + " DROP DEFAULT");
        }
        sql.add(alter + "RENAME COLUMN " + old + " TO " + retired);
        sql.add(alter + "RENAME COLUMN " + added + " TO " + old);
        if (column.notNull()) {
            sql.add(alter + "ALTER COLUMN " + old + " SET NOT NULL"); // the validated check proves it: no scan
            sql.add(alter + "DROP CONSTRAINT " + Sql.ident(notNullCheck(column)));
        }
        if (column.isIdentity()) {
            // the new column's own identity, carrying on from the old one's sequence where it had got to
            String kind = column.identity().equals("a") ? "ALWAYS" : "BY DEFAULT";
            QualifiedName sequence = sequenceName(column);
            QualifiedName working = QualifiedName.of(sequence.schema(), "zerolock_" + column.number() + "_seq");
            sql.add(alter + "ALTER COLUMN " + old + " ADD GENERATED " + kind + " AS IDENTITY (SEQUENCE NAME "
                    + working.sql() + ")");
            sql.add("SELECT pg_catalog.setval(" + Sql.literal(working.sql()) + ", last_value, is_called) FROM "
                    + column.sequence());
            sql.add(alter + "ALTER COLUMN " + retired + " DROP IDENTITY");
            sql.add("ALTER SEQUENCE " + working.sql() + " RENAME TO " + Sql.ident(sequence.name()));
            if (column.notNull()) {
                sql.add(alter + "ALTER COLUMN " + retired + " DROP NOT NULL");
            }
        } else if (column.defaultExpression() != null) {
            sql.add(alter + "ALTER COLUMN " + old + " SET DEFAULT " + column.defaultExpression());
            if (column.sequence() != null) {
                sql.add("ALTER SEQUENCE " + column.sequence() + " OWNED BY " + table.sql() + "." + old);
                if (widens(column.sequenceType(), target.newType())) {
                    sql.add("ALTER SEQUENCE " + column.sequence() + " AS bigint");
                }
            }
        }
        for (Constraint key : keys) {
            IndexDefinition index = target.indexes().stream().filter(i -> i.oid() == key.indexOid()).findFirst()
                    .orElseThrow();
            String kind = key.type() == ConstraintType.PRIMARY_KEY ? "PRIMARY KEY" : "UNIQUE";
            String deferral = !key.deferrable() ? "" : key.initiallyDeferred() ? " DEFERRABLE INITIALLY DEFERRED"
                    : " DEFERRABLE";
            sql.add(alter + "ADD CONSTRAINT " + Sql.ident(key.name()) + " " + kind + " USING INDEX "
                    + Sql.ident(twinIndex(index)) + deferral);
            if (!key.name().equals(index.name().name())) {
                sql.add("ALTER INDEX " + QualifiedName.of(index.name().schema(), key.name()).sql() + " RENAME TO "
                        + Sql.ident(index.name().name()));
            }
            if (key.comment() != null) {
                sql.add("COMMENT ON CONSTRAINT " + Sql.ident(key.name()) + " ON " + table.sql() + " IS "
                        + Sql.literal(key.comment()));
            }
        }
        for (IndexDefinition index : target.indexes()) {
            if (keys.stream().noneMatch(key -> key.indexOid() == index.oid())) {
                sql.add("ALTER INDEX " + QualifiedName.of(index.name().schema(), twinIndex(index)).sql()
                        + " RENAME TO " + Sql.ident(index.name().name()));
            }
            if (index.comment() != null) {
                sql.add("COMMENT ON INDEX " + index.name().sql() + " IS " + Sql.literal(index.comment()));
            }
            if (index.replicaIdentity()) {
                sql.add(alter + "REPLICA IDENTITY USING INDEX " + Sql.ident(index.name().name()));
            }
            if (index.clustered()) {
                sql.add(alter + "CLUSTER ON " + Sql.ident(index.name().name()));
            }
        }
        for (Constraint check : checks(target)) {
            sql.add(alter + "RENAME CONSTRAINT " + Sql.ident(twinCheck(check)) + " TO " + Sql.ident(check.name()));
        }
        if (column.statisticsTarget() != null) {
            sql.add(alter + "ALTER COLUMN " + old + " SET STATISTICS " + column.statisticsTarget());
        }
        if (column.comment() != null) {
            sql.add("COMMENT ON COLUMN " + table.sql() + "." + old + " IS " + Sql.literal(column.comment()));
        }
        sql.add("COMMENT ON COLUMN " + table.sql() + "." + retired + " IS " + Sql.literal(RETIRED_MARK + " (was "
                + column.type() + "); drop it with zerolock alter-type " + target.display() + " --finish"
                + (target == root ? "" : " (changed with " + root.display() + ")")));
        return sql;
    }

    /** The value of the new column computed from a row: {@code prefix} is {@code NEW.} in the trigger. */
    private static String converted(TypeChangeTarget target, String prefix) {
        if (target.using() == null) {
            return "CAST(" + prefix + Sql.ident(target.column().name()) + " AS " + target.newType() + ")";
        }
        return "(" + target.using() + ")";
    }

    /**
     * The trigger function: the new column computed from the row on every INSERT and UPDATE; a value that
     * does not convert fails the write (loudly), never writes a wrong one. The USING expression is evaluated
     * over the row as the table (so it reads its columns by their names), with the search_path of the run.
     */
    private static String syncFunction(TypeChangeTarget target) {
        ColumnDefinition column = target.column();
        String assign = target.using() == null
                ? "NEW." + Sql.ident(newColumn(column)) + " := " + converted(target, "NEW.") + ";"
                : "SELECT " + converted(target, "") + " INTO NEW." + Sql.ident(newColumn(column))
                        + " FROM (SELECT NEW.*) AS "
                        + Sql.ident(column.table().name()) + ";";
        return "CREATE OR REPLACE FUNCTION " + function(column).sql() + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path FROM CURRENT AS $zerolock$ BEGIN " + assign + " RETURN NEW; END $zerolock$";
    }

    /** The original name of the check whose twin this is (step names must not carry OIDs). */
    private static String checkName(TypeChangeTarget target, String twin) {
        return checks(target).stream().filter(check -> twinCheck(check).equals(twin)).map(Constraint::name)
                .findFirst().orElse(twin);
    }

    /** @param names the step names taken so far: a second key of the same name gets its table in its own */
    private Step validateForeignKey(QualifiedName table, String name, Set<String> names) {
        String step = names.add("validate:" + name) ? "validate:" + name : "validate:" + name + "@" + table.display();
        names.add(step);
        return Step.of(StepKind.VALIDATE, step).subject(name)
                .description("check the rows of " + table.display() + " against the re-created foreign key")
                .sql("ALTER TABLE " + table.sql() + " VALIDATE CONSTRAINT " + Sql.ident(name))
                .locks(LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(table)).transactional().policy(bounded()).build();
    }

    private static List<Constraint> checks(TypeChangeTarget target) {
        return target.constraints().stream().filter(c -> c.type() == ConstraintType.CHECK).toList();
    }

    private static List<Constraint> ownForeignKeys(TypeChangeTarget target) {
        return target.constraints().stream().filter(c -> c.type() == ConstraintType.FOREIGN_KEY).toList();
    }

    /** {@code CHECK ((expr))} (maybe {@code NOT VALID}) as its expression. */
    private static String checkExpression(String definition) {
        String body = Sql.withoutNotValid(definition).strip();
        if (body.endsWith(" NO INHERIT")) {
            body = body.substring(0, body.length() - " NO INHERIT".length());
        }
        return body.substring(body.indexOf('(') + 1, body.lastIndexOf(')'));
    }

    /** An identity's sequence, as a name (the column's {@code pg_get_serial_sequence}, which is quoted). */
    private static QualifiedName sequenceName(ColumnDefinition column) {
        List<String> parts = Identifiers.parseQualifiedName(column.sequence());
        return QualifiedName.of(parts.get(0), parts.get(1));
    }

    /** Whether a sequence of this type would run out before a column of the new type. */
    private static boolean widens(String sequenceType, String newType) {
        String type = newType.strip().toLowerCase(java.util.Locale.ROOT);
        return sequenceType != null && !sequenceType.equals("bigint") && (type.equals("bigint") || type.equals("int8"));
    }

    private LockPolicy bounded() {
        return LockPolicy.bounded(options.lockTimeout(), options.lockAttempts());
    }
}

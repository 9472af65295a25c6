package io.zerolock.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A foreign key, as one row of {@code pg_constraint}. A foreign key declared on a partitioned table, or
 * referencing one, has a row per partition too: those rows are clones ({@code parentOid != 0}) of the
 * declared one, named by {@code root}.
 *
 * @param referencedIndexOid the unique index on the referenced side that the key depends on
 * @param definition {@code pg_get_constraintdef(oid)}: columns, referenced table, MATCH, actions, deferrability
 * @param parentOid the constraint this row was cloned from, or 0 for a declared foreign key
 * @param root the declared foreign key this row belongs to (itself when declared)
 * @param comment null when none
 */
public record ForeignKey(long oid, String name, long tableOid, QualifiedName table, RelationKind tableKind,
        long referencedTableOid, QualifiedName referencedTable, long referencedIndexOid, String definition,
        List<String> columns, List<String> referencedColumns, Action onUpdate, Action onDelete, Match match,
        boolean deferrable, boolean initiallyDeferred, boolean validated, long parentOid, Root root,
        String comment) {

    public ForeignKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(root, "root");
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }

    /** The declared foreign key a clone row belongs to. */
    public record Root(long oid, String name, QualifiedName table, RelationKind tableKind) {

        public boolean onPartitionedTable() {
            return tableKind == RelationKind.PARTITIONED_TABLE;
        }
    }

    /** {@code confupdtype} / {@code confdeltype}. */
    public enum Action {
        NO_ACTION("NO ACTION"), RESTRICT("RESTRICT"), CASCADE("CASCADE"), SET_NULL("SET NULL"),
        SET_DEFAULT("SET DEFAULT");

        private final String sql;

        Action(String sql) {
            this.sql = sql;
        }

        public static Action of(String code) {
            return switch (code) {
                case "a" -> NO_ACTION;
                case "r" -> RESTRICT;
                case "c" -> CASCADE;
                case "n" -> SET_NULL;
                case "d" -> SET_DEFAULT;
                default -> throw new IllegalArgumentException("unknown foreign key action " + code);
            };
        }

        public String sql() {
            return sql;
        }
    }

    /** {@code confmatchtype}. */
    public enum Match {
        SIMPLE, FULL, PARTIAL;

        public static Match of(String code) {
            return switch (code) {
                case "s" -> SIMPLE;
                case "f" -> FULL;
                case "p" -> PARTIAL;
                default -> throw new IllegalArgumentException("unknown match type " + code);
            };
        }
    }

    public boolean isInherited() {
        return parentOid != 0;
    }

    /** Declared on a partitioned table, or a per-partition row of one declared there. */
    public boolean onPartitionedTable() {
        return root.onPartitionedTable();
    }
}

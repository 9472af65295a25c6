package io.zerolock.check.recognize;

import java.util.List;

/** One sub-command of {@code ALTER TABLE}. */
public sealed interface Action {

    /**
     * @param type the type as written, e.g. {@code varchar(20)}
     * @param defaultExpression the DEFAULT expression as written, or null
     */
    record AddColumn(String column, String type, String defaultExpression, boolean notNull, boolean storedGenerated,
            boolean identity) implements Action {

        public boolean serial() {
            return type.toLowerCase(java.util.Locale.ROOT).matches("(small|big)?serial[248]?");
        }

        public boolean json() {
            return type.equalsIgnoreCase("json");
        }
    }

    record AlterColumnType(String column, String type, boolean using) implements Action {}

    record SetNotNull(String column) implements Action {}

    record DropNotNull(String column) implements Action {}

    record SetDefault(String column, String expression) implements Action {}

    enum ConstraintKind { CHECK, FOREIGN_KEY, UNIQUE, PRIMARY_KEY, EXCLUDE, NOT_NULL }

    /**
     * @param name the constraint's name, or null when PostgreSQL chooses it
     * @param usingIndex for UNIQUE / PRIMARY KEY {@code USING INDEX}: the index's name
     * @param columns the key's columns, or for a CHECK the columns it names (when recognised)
     * @param references for a foreign key, the table it references (when recognised), else null
     */
    record AddConstraint(String name, ConstraintKind kind, boolean notValid, String usingIndex, List<String> columns,
            String definition, Name references) implements Action {

        public AddConstraint {
            columns = List.copyOf(columns);
        }
    }

    record ValidateConstraint(String name) implements Action {}

    record DropConstraint(String name) implements Action {}

    enum RenameKind { COLUMN, TABLE, CONSTRAINT }

    record Rename(RenameKind kind, String from, String to) implements Action {}

    record DropColumn(String column) implements Action {}

    record AttachPartition(Name partition) implements Action {}

    record DetachPartition(Name partition, boolean concurrently) implements Action {}

    /** {@code SET TABLESPACE}, {@code SET LOGGED}, {@code SET UNLOGGED}, {@code SET ACCESS METHOD}: a rewrite. */
    record Rewrite(String what) implements Action {}

    record EnableDisableTrigger(boolean enable, String trigger) implements Action {}

    /** Anything else, kept as written. */
    record Other(String text) implements Action {}
}

package io.zerolock.check.recognize;

import java.util.List;

/** What a statement does, as far as locking goes; {@link Unknown} for everything else. */
public sealed interface Recognized {

    /**
     * @param columns the indexed columns when each key is a plain column (empty for expressions)
     * @param only {@code ON ONLY parent}: an invalid index on the partitioned parent alone, made instantly
     * @param definitionOffset where what follows the table's name ({@code USING ... (keys) ... WHERE ...}) starts
     *     in the statement's source, as its first token's offset; -1 when nothing follows
     */
    record CreateIndex(Name index, Name table, boolean unique, boolean concurrently, boolean ifNotExists,
            List<String> columns, boolean only, int definitionOffset) implements Recognized {}

    record DropIndex(List<Name> indexes, boolean concurrently, boolean ifExists) implements Recognized {}

    /** @param kind INDEX, TABLE, SCHEMA, DATABASE or SYSTEM */
    record Reindex(String kind, Name target, boolean concurrently) implements Recognized {}

    /**
     * {@code CREATE TABLE}, {@code CREATE TABLE AS}, {@code CREATE MATERIALIZED VIEW}: a new, empty relation.
     *
     * @param columns column name to type as written, where the statement lists them
     * @param notNull columns declared NOT NULL or PRIMARY KEY
     * @param references tables its foreign keys reference (SHARE ROW EXCLUSIVE on each, while it is created)
     * @param partitionOf the parent of {@code CREATE TABLE ... PARTITION OF}, else null (ACCESS EXCLUSIVE on it)
     * @param partitioned {@code PARTITION BY}: a partitioned table, which has no storage of its own
     * @param materialized {@code CREATE MATERIALIZED VIEW}
     * @param defaultPartition {@code PARTITION OF parent DEFAULT}
     */
    record CreateTable(Name table, java.util.Map<String, String> columns, java.util.Set<String> notNull,
            List<Name> references, Name partitionOf, boolean partitioned, boolean materialized,
            boolean defaultPartition) implements Recognized {

        public CreateTable {
            references = List.copyOf(references);
        }
    }

    /** @param ifExists {@code ALTER TABLE IF EXISTS}: of a table that does not exist, it takes nothing */
    record AlterTable(Name table, List<Action> actions, boolean ifExists) implements Recognized {

        public AlterTable(Name table, List<Action> actions) {
            this(table, actions, false);
        }
    }

    record Cluster(Name table) implements Recognized {}

    record VacuumFull(List<Name> tables) implements Recognized {}

    record RefreshMaterializedView(Name view, boolean concurrently) implements Recognized {}

    record CreateTrigger(String trigger, Name table) implements Recognized {}

    /**
     * {@code CREATE [OR REPLACE] FUNCTION}: followed through the history for its volatility, as column
     * types are, so a DEFAULT that calls it is judged right.
     *
     * @param volatility {@code immutable}, {@code stable} or {@code volatile} (PostgreSQL's default)
     */
    record CreateFunction(Name function, String volatility) implements Recognized {}

    /**
     * {@code ALTER INDEX}: {@code RENAME} (ACCESS EXCLUSIVE before 12, SHARE UPDATE EXCLUSIVE since) or
     * {@code SET TABLESPACE} (rewrites the index under ACCESS EXCLUSIVE).
     */
    record AlterIndex(Name index, boolean rename, boolean setTablespace) implements Recognized {}

    /** {@code ALTER SEQUENCE}: SHARE ROW EXCLUSIVE on the sequence, which every nextval() waits for. */
    record AlterSequence(Name sequence) implements Recognized {}

    /** {@code CREATE OR REPLACE VIEW}: ACCESS EXCLUSIVE on the view it replaces. */
    record ReplaceView(Name view) implements Recognized {}

    /** {@code DROP TRIGGER}: ACCESS EXCLUSIVE on the table, however brief. */
    record DropTrigger(String trigger, Name table) implements Recognized {}

    record Truncate(List<Name> tables) implements Recognized {}

    record DropTable(List<Name> tables) implements Recognized {}

    record AddEnumValue(Name type) implements Recognized {}

    /** {@code CREATE DOMAIN ... CHECK} or {@code ALTER DOMAIN ... ADD CONSTRAINT ... CHECK}. */
    record DomainCheck(Name domain, boolean create, boolean notValid) implements Recognized {}

    record Set(String setting, String value, boolean local) implements Recognized {}

    /** {@code DO}: its constant EXECUTEs are checked as statements of their own (see the checker). */
    record DoBlock() implements Recognized {}

    record Begin() implements Recognized {}

    record Commit() implements Recognized {}

    record Rollback() implements Recognized {}

    /** {@code LOCK TABLE}; {@code mode} null when the statement names no mode this version knows. */
    record LockTable(List<Name> tables, io.zerolock.plan.LockMode mode) implements Recognized {}

    /** {@code UPDATE}, {@code INSERT}, {@code DELETE}: data changes, e.g. a backfill. */
    record DataChange(String verb, Name table) implements Recognized {}

    record Unknown(String firstWords) implements Recognized {}
}

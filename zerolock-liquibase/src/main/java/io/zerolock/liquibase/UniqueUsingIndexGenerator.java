package io.zerolock.liquibase;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AddUniqueConstraintGenerator;
import liquibase.statement.core.AddUniqueConstraintStatement;

/**
 * {@code addUniqueConstraint} (named, on plain columns) in a changeset with {@code runInTransaction="false"}
 * becomes the online pair: its unique index built {@code CONCURRENTLY}, then {@code ADD CONSTRAINT ... UNIQUE
 * USING INDEX} (a brief lock, no scan; deferrability kept). Elsewhere, Liquibase's own SQL.
 */
public final class UniqueUsingIndexGenerator extends AddUniqueConstraintGenerator {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(AddUniqueConstraintStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Liquibase's own signature has the raw chain
    public Sql[] generateSql(AddUniqueConstraintStatement statement, Database database, SqlGeneratorChain chain) {
        if (!OnlineChangeSets.current() || statement.getConstraintName() == null || statement.getForIndexName() != null
                || statement.isDisabled() || !statement.shouldValidate()) {
            return chain.generateSql(statement, database);
        }
        String table = database.escapeTableName(statement.getCatalogName(), statement.getSchemaName(),
                statement.getTableName());
        String name = database.escapeConstraintName(statement.getConstraintName());
        String columns = database.escapeColumnNameList(statement.getColumnNames());
        java.util.List<Sql> online = new java.util.ArrayList<>();
        OnlineChangeSets.dropInvalid(database, statement.getSchemaName(), statement.getConstraintName())
                .ifPresent(online::add);
        online.addAll(java.util.List.of(
            new UnparsedSql("CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" + columns + ")"
                    + (statement.getTablespace() == null ? ""
                            : " TABLESPACE " + database.escapeObjectName(statement.getTablespace(),
                                    liquibase.structure.core.Index.class))),
            new UnparsedSql("ALTER TABLE " + table + " ADD CONSTRAINT " + name + " UNIQUE USING INDEX " + name
                    + (statement.isDeferrable() ? " DEFERRABLE" : "")
                    + (statement.isInitiallyDeferred() ? " INITIALLY DEFERRED" : ""))));
        return online.toArray(new Sql[0]);
    }
}

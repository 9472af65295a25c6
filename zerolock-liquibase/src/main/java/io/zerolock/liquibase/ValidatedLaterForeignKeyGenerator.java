package io.zerolock.liquibase;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AddForeignKeyConstraintGenerator;
import liquibase.statement.core.AddForeignKeyConstraintStatement;

/**
 * {@code addForeignKeyConstraint} in a changeset with {@code runInTransaction="false"} becomes the online
 * pair: the key added {@code NOT VALID} (a brief lock on both tables, no scan), then {@code VALIDATE
 * CONSTRAINT} as a statement of its own (it scans the table under SHARE UPDATE EXCLUSIVE: writes go on). A key
 * asked for with {@code validate="false"} stays not valid, as written. Elsewhere, Liquibase's own SQL.
 */
public final class ValidatedLaterForeignKeyGenerator extends AddForeignKeyConstraintGenerator {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(AddForeignKeyConstraintStatement statement, Database database) {
        return database instanceof PostgresDatabase && super.supports(statement, database);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Liquibase's own signature has the raw chain
    public Sql[] generateSql(AddForeignKeyConstraintStatement statement, Database database, SqlGeneratorChain chain) {
        if (!OnlineChangeSets.current() || !statement.shouldValidate()) {
            return chain.generateSql(statement, database);
        }
        statement.setShouldValidate(false);
        Sql[] notValid;
        try {
            notValid = chain.generateSql(statement, database);
        } finally {
            statement.setShouldValidate(true);
        }
        String table = database.escapeTableName(statement.getBaseTableCatalogName(),
                statement.getBaseTableSchemaName(), statement.getBaseTableName());
        Sql[] online = new Sql[notValid.length + 1];
        System.arraycopy(notValid, 0, online, 0, notValid.length);
        online[notValid.length] = new UnparsedSql("ALTER TABLE " + table + " VALIDATE CONSTRAINT "
                + database.escapeConstraintName(statement.getConstraintName()));
        return online;
    }
}

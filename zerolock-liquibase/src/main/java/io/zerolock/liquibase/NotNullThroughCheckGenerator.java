package io.zerolock.liquibase;

import io.zerolock.catalog.Identifiers;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.DatabaseException;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.SetNullableGenerator;
import liquibase.statement.core.SetNullableStatement;

/**
 * {@code addNotNullConstraint} in a changeset with {@code runInTransaction="false"}, on PostgreSQL 12 and later,
 * becomes the online sequence: a {@code CHECK (column IS NOT NULL) NOT VALID} (brief lock, no scan), its
 * {@code VALIDATE} (a scan under SHARE UPDATE EXCLUSIVE: writes go on), {@code SET NOT NULL} (PostgreSQL finds
 * the validated check and skips its own scan under ACCESS EXCLUSIVE), and the check dropped. Elsewhere, or to
 * make a column nullable, Liquibase's own SQL.
 */
public final class NotNullThroughCheckGenerator extends SetNullableGenerator {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(SetNullableStatement statement, Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Liquibase's own signature has the raw chain
    public Sql[] generateSql(SetNullableStatement statement, Database database, SqlGeneratorChain chain) {
        if (!OnlineChangeSets.current() || statement.isNullable() || !statement.isValidate() || major(database) < 12) {
            return chain.generateSql(statement, database);
        }
        String table = database.escapeTableName(statement.getCatalogName(), statement.getSchemaName(),
                statement.getTableName());
        String column = database.escapeColumnName(statement.getCatalogName(), statement.getSchemaName(),
                statement.getTableName(), statement.getColumnName());
        String check = database.escapeConstraintName(Identifiers.clip(statement.getTableName() + "_"
                + statement.getColumnName() + "_not_null", Identifiers.MAX_BYTES));
        return new Sql[] {
            new UnparsedSql("ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column
                    + " IS NOT NULL) NOT VALID"),
            new UnparsedSql("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check),
            new UnparsedSql("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL"),
            new UnparsedSql("ALTER TABLE " + table + " DROP CONSTRAINT " + check)
        };
    }

    private static int major(Database database) {
        try {
            return database.getDatabaseMajorVersion();
        } catch (DatabaseException e) {
            return 0; // offline: Liquibase's own form
        }
    }
}

package io.zerolock.liquibase;

import java.util.regex.Pattern;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.CreateIndexGeneratorPostgres;
import liquibase.statement.core.CreateIndexStatement;

/**
 * {@code createIndex} in a changeset with {@code runInTransaction="false"} becomes {@code CREATE INDEX
 * CONCURRENTLY} (liquibase#3638): the table's writes go on while it is built; an invalid index of its name (a
 * failed concurrent build of an earlier run) is dropped concurrently first. Elsewhere, Liquibase's own SQL.
 * Found by Liquibase through {@code META-INF/services}.
 */
public final class ConcurrentCreateIndexGenerator extends CreateIndexGeneratorPostgres {

    private static final Pattern CREATE_INDEX = Pattern.compile("^(\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX)\\s",
            Pattern.CASE_INSENSITIVE);

    @Override
    public int getPriority() {
        return super.getPriority() + 1;
    }

    @Override
    public boolean supports(CreateIndexStatement statement, Database database) {
        return database instanceof PostgresDatabase && super.supports(statement, database);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"}) // Liquibase's own signature has the raw chain
    public Sql[] generateSql(CreateIndexStatement statement, Database database, SqlGeneratorChain chain) {
        // Liquibase keeps which generators support a kind of statement, not the changeset: decided here, each time
        if (!OnlineChangeSets.current()) {
            return chain.generateSql(statement, database);
        }
        Sql[] generated = super.generateSql(statement, database, chain);
        java.util.List<Sql> online = new java.util.ArrayList<>();
        // a failed concurrent build of an earlier run left the name to an invalid index: dropped, then built again
        OnlineChangeSets.dropInvalid(database, statement.getTableSchemaName(), statement.getIndexName())
                .ifPresent(online::add);
        for (Sql sql : generated) {
            String text = sql.toSql();
            online.add(!CREATE_INDEX.matcher(text).find() ? sql : new UnparsedSql(CREATE_INDEX.matcher(text)
                    .replaceFirst("$1 CONCURRENTLY "), sql.getEndDelimiter(), sql.getAffectedDatabaseObjects()
                            .toArray(new liquibase.structure.DatabaseObject[0])));
        }
        return online.toArray(new Sql[0]);
    }
}

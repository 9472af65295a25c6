package io.zerolock.liquibase;

import liquibase.Scope;
import liquibase.changelog.ChangeSet;

/**
 * How a changelog asks zerolock for the online form of its changes: a changeset with
 * {@code runInTransaction="false"}. {@code CREATE INDEX CONCURRENTLY} cannot run in a transaction, and a
 * constraint added {@code NOT VALID} is validated by a second statement that must not share the first one's
 * lock; so the changeset that lets each statement commit on its own is the one that gets the online form.
 * Every other changeset keeps Liquibase's own SQL.
 */
final class OnlineChangeSets {

    private OnlineChangeSets() {}

    /**
     * The invalid index of this name in this schema (what a failed concurrent build left), quoted and qualified;
     * empty when there is none, or Liquibase is offline.
     */
    static java.util.Optional<String> invalidIndex(liquibase.database.Database database, String schema,
            String index) {
        if (!(database.getConnection() instanceof liquibase.database.jvm.JdbcConnection jdbc)) {
            return java.util.Optional.empty();
        }
        try (java.sql.PreparedStatement statement = jdbc.getUnderlyingConnection().prepareStatement(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND c.relname = ? "
                        + "AND n.nspname = coalesce(?, current_schema())")) {
            statement.setString(1, index);
            statement.setString(2, schema);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                return rows.next() ? java.util.Optional.of(rows.getString(1)) : java.util.Optional.empty();
            }
        } catch (java.sql.SQLException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * {@code DROP INDEX CONCURRENTLY} of the invalid index of this name a failed build of an earlier run left, to
     * run before building it again (instead of failing on the name); empty when there is none.
     */
    static java.util.Optional<liquibase.sql.Sql> dropInvalid(liquibase.database.Database database, String schema,
            String index) {
        return invalidIndex(database, schema, index).map(invalid -> new liquibase.sql.UnparsedSql(
                "DROP INDEX CONCURRENTLY IF EXISTS " + invalid));
    }

    /** Whether the changeset Liquibase runs (or prints) now runs outside a transaction. */
    static boolean current() {
        ChangeSet changeSet = Scope.getCurrentScope().get(Scope.Attr.changeSet.name(), ChangeSet.class);
        return changeSet != null && !changeSet.isRunInTransaction();
    }
}

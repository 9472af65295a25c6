package io.zerolock.apply;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The migrations applied to this database: {@code <state schema>.applied_migration}. */
final class History {

    private History() {}

    /** Applied migrations' names and checksums; empty when the state schema or its table does not exist. */
    static Map<String, String> applied(Connection connection, String schemaName) {
        Map<String, String> applied = new LinkedHashMap<>();
        String table = Identifiers.quote(schemaName) + ".applied_migration";
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rows = exists.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    return applied;
                }
            }
            try (PreparedStatement read = connection.prepareStatement("SELECT name, checksum FROM " + table
                    + " ORDER BY applied_at, name");
                    ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    applied.put(rows.getString(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot read the applied migrations in "
                    + table + ": " + e.getMessage(), e);
        }
        return applied;
    }

    /** Records a migration as applied: once, so a second zerolock that applied it too fails loudly. */
    static void record(Connection connection, String schema, MigrationFile file, Duration took, int statements,
            long operationId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema + ".applied_migration "
                + "(name, checksum, duration_ms, statements, operation_id) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, file.name());
            insert.setString(2, file.checksum());
            insert.setLong(3, took.toMillis());
            insert.setInt(4, statements);
            insert.setLong(5, operationId);
            insert.execute();
        }
    }
}

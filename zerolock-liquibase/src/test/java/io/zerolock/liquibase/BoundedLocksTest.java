package io.zerolock.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Timeout;

/**
 * Real Liquibase on real servers: a changeset behind another session's lock fails after the lock timeout instead
 * of queueing every session behind it, and goes through once the lock is gone; a concurrent build waits for an old
 * snapshot as long as it takes; the connection is given back with its lock_timeout reset.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BoundedLocksTest {

    private static final String ADD_COLUMN = """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: zerolock
                  changes:
                    - addColumn:
                        tableName: accounts
                        columns:
                          - column: {name: note, type: text}
            """;

    private static final String INDEX = """
              - changeSet:
                  id: 2
                  author: zerolock
                  runInTransaction: false
                  changes:
                    - createIndex:
                        tableName: accounts
                        indexName: accounts_email_idx
                        columns:
                          - column: {name: email}
            """;

    /** {@code update} on a connection the test keeps, to look at it afterwards. */
    @SuppressWarnings("deprecation") // the Liquibase class is the API a library calls; the command scope is for the CLI
    private static void update(Connection connection, Path dir) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                new JdbcConnection(connection));
        new Liquibase("changelog.yaml", new DirectoryResourceAccessor(dir), database).update(new Contexts());
    }

    @PostgresTest
    void a_changeset_behind_a_lock_fails_after_the_timeout_and_goes_through_once_it_is_gone(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE accounts (id int PRIMARY KEY, email text)",
                "INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 2000) g");
        Path dir = Files.createTempDirectory("zerolock-liquibase-bounded");
        Files.writeString(dir.resolve("changelog.yaml"), ADD_COLUMN);
        try (Connection reader = db.connect(); Statement reading = reader.createStatement();
                Connection liquibase = db.connect()) {
            reading.execute("BEGIN");
            reading.execute("SELECT count(*) FROM accounts"); // ACCESS SHARE until the transaction ends
            long started = System.nanoTime();
            assertThatThrownBy(() -> update(liquibase, dir)).hasStackTraceContaining("lock timeout");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
            reading.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND "
                + "attname = 'note'")).isZero();

        Files.writeString(dir.resolve("changelog.yaml"), ADD_COLUMN + INDEX);
        try (Connection old = db.connect(); Statement holding = old.createStatement();
                Connection liquibase = db.connect()) {
            // an old snapshot: the concurrent build waits for it, far past the 1 s lock timeout
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT count(*) FROM databasechangeloglock");
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    update(liquibase, dir);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the build has waited for the old snapshot for 3 s", () -> db.queryString("SELECT pid FROM "
                    + "pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ~* "
                    + "'CREATE INDEX CONCURRENTLY' AND wait_event_type = 'Lock' AND query_start < clock_timestamp() "
                    + "- interval '3 s'") != null);
            holding.execute("COMMIT");
            running.get(60, TimeUnit.SECONDS);
            try (Statement show = liquibase.createStatement(); var rows = show.executeQuery("SHOW lock_timeout")) {
                rows.next();
                assertThat(rows.getString(1)).as("given back as it came").isEqualTo("0");
            }
        }
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email_idx'::regclass")).isEqualTo("true");
    }

    @PostgresTest
    @SuppressWarnings("deprecation") // the Liquibase class is the API a library calls
    void an_update_stopped_by_a_lock_runs_again_until_it_is_gone_and_gives_up_cleanly_when_it_stays(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE accounts (id int PRIMARY KEY, email text)");
        Path dir = Files.createTempDirectory("zerolock-liquibase-retry");
        Files.writeString(dir.resolve("changelog.yaml"), ADD_COLUMN);
        try (Connection reader = db.connect(); Statement reading = reader.createStatement();
                Connection connection = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                    new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase("changelog.yaml", new DirectoryResourceAccessor(dir), database);
            reading.execute("BEGIN");
            reading.execute("SELECT count(*) FROM accounts");
            // held throughout: two tries, then the failure, nothing recorded
            assertThatThrownBy(() -> ZerolockLiquibase.update(liquibase, new Contexts(), 2))
                    .hasStackTraceContaining("lock timeout");
            assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isZero();
            // released while it retries: it goes through
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    ZerolockLiquibase.update(liquibase, new Contexts());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the update has waited for the lock at least once", () -> db.queryLong("SELECT count(*) "
                    + "FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND "
                    + "query ~* 'ALTER TABLE'") > 0);
            reading.execute("ROLLBACK");
            running.get(60, TimeUnit.SECONDS);
        }
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isOne();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND "
                + "attname = 'note'")).isOne();
    }
}

package io.zerolock.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Timeout;

/** Real Liquibase on real servers: pending changesets that would lock a busy table stop the update first. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ZerolockCheckStepTest {

    private static final String INIT = """
            databaseChangeLog:
              - changeSet:
                  id: 1
                  author: zerolock
                  changes:
                    - sql:
                        sql: >
                          CREATE TABLE customers (id int PRIMARY KEY);
                          CREATE TABLE accounts (id int PRIMARY KEY, email text, customer_id int);
                          INSERT INTO customers SELECT g FROM generate_series(1, 10) g;
                          INSERT INTO accounts SELECT g, 'a' || g, g % 10 + 1 FROM generate_series(1, 2000) g;
            """;

    private static final String UNSAFE = """
              - changeSet:
                  id: 2
                  author: zerolock
                  changes:
                    - sql:
                        sql: ALTER TABLE accounts ADD COLUMN note text
                    - createIndex:
                        tableName: accounts
                        indexName: accounts_email_idx
                        columns:
                          - column: {name: email}
                    - addForeignKeyConstraint:
                        baseTableName: accounts
                        baseColumnNames: customer_id
                        constraintName: accounts_customer_fk
                        referencedTableName: customers
                        referencedColumnNames: id
            """;

    @SuppressWarnings("deprecation") // the Liquibase class is the API a library calls; the command scope is for the CLI
    private static void update(TestDatabase db, Path dir) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(
                new JdbcConnection(db.connect()));
        try {
            new Liquibase("changelog.yaml", new DirectoryResourceAccessor(dir), database).update(new Contexts());
        } finally {
            database.close();
        }
    }

    @PostgresTest
    void an_unsafe_pending_changeset_stops_the_update_before_anything_runs(TestDatabase db) throws Exception {
        Path dir = Files.createTempDirectory("zerolock-liquibase-check");
        Files.writeString(dir.resolve("changelog.yaml"), INIT);
        update(db, dir);
        // the applied changeset is history: it is read, never reported
        Files.writeString(dir.resolve("changelog.yaml"), INIT + UNSAFE);
        assertThatThrownBy(() -> update(db, dir)).hasStackTraceContaining("nothing was run")
                .hasStackTraceContaining("changelog.yaml::2::zerolock").hasStackTraceContaining("ZL001")
                .hasStackTraceContaining("ZL009");
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isOne();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND "
                + "attname = 'note'")).as("not even its first, safe change").isZero();

        // the same changes outside a transaction get their online forms, which pass
        Files.writeString(dir.resolve("changelog.yaml"), INIT + UNSAFE.replace("author: zerolock\n",
                "author: zerolock\n      runInTransaction: false\n"));
        update(db, dir);
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email_idx'::regclass")).isEqualTo("true");
    }

    @PostgresTest(versions = {14})
    void fail_on_never_lets_the_changeset_through(TestDatabase db) throws Exception {
        Path dir = Files.createTempDirectory("zerolock-liquibase-check");
        Files.writeString(dir.resolve("changelog.yaml"), INIT + UNSAFE);
        System.setProperty("liquibase.zerolock.failOn", "never");
        try {
            update(db, dir);
        } finally {
            System.clearProperty("liquibase.zerolock.failOn");
        }
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
    }
}

package io.zerolock.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Timeout;

/**
 * Real Liquibase on real servers: a changeset with {@code runInTransaction: false} gets the online form of its
 * createIndex and addForeignKeyConstraint; the others keep Liquibase's SQL.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OnlineChangesTest {

    private static final String CHANGELOG = """
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
                    - createIndex:
                        tableName: accounts
                        indexName: accounts_id_email_idx
                        columns:
                          - column: {name: id}
                          - column: {name: email}
              - changeSet:
                  id: 2
                  author: zerolock
                  runInTransaction: false
                  changes:
                    - createIndex:
                        tableName: accounts
                        indexName: accounts_email_idx
                        unique: true
                        columns:
                          - column: {name: email}
                    - addForeignKeyConstraint:
                        baseTableName: accounts
                        baseColumnNames: customer_id
                        constraintName: accounts_customer_fk
                        referencedTableName: customers
                        referencedColumnNames: id
                    - addUniqueConstraint:
                        tableName: accounts
                        columnNames: id, email
                        constraintName: accounts_id_email_key
                        deferrable: true
                        initiallyDeferred: true
            """;

    /** From PostgreSQL 12 (before it, SET NOT NULL always scans under ACCESS EXCLUSIVE, and zerolock refuses it). */
    private static final String NOT_NULL = """
                    - addNotNullConstraint:
                        tableName: accounts
                        columnName: customer_id
                        columnDataType: int
            """;

    @SuppressWarnings("deprecation") // the Liquibase class is the API a library calls; the command scope is for the CLI
    private static Liquibase liquibase(Database database, Path dir) throws java.io.FileNotFoundException {
        return new Liquibase("changelog.yaml", new DirectoryResourceAccessor(dir), database);
    }

    private static Database database(TestDatabase db) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(db.connect()));
    }

    @PostgresTest
    @SuppressWarnings("deprecation") // Liquibase.update, the library's API
    void a_changeset_outside_a_transaction_builds_concurrently_and_validates_its_key_apart(TestDatabase db)
            throws Exception {
        Path dir = Files.createTempDirectory("zerolock-liquibase-online");
        boolean notNull = db.majorVersion() >= 12;
        Files.writeString(dir.resolve("changelog.yaml"), CHANGELOG + (notNull ? NOT_NULL : ""));
        Database database = database(db);
        try {
            StringWriter sql = new StringWriter();
            liquibase(database, dir).update(new Contexts(), new LabelExpression(), sql);
            assertThat(sql.toString())
                    .contains("CREATE INDEX accounts_id_email_idx ON public.accounts")
                    .contains("CREATE UNIQUE INDEX CONCURRENTLY accounts_email_idx ON public.accounts(email)")
                    .contains("FOREIGN KEY (customer_id) REFERENCES public.customers (id) NOT VALID;")
                    .contains("ALTER TABLE public.accounts VALIDATE CONSTRAINT accounts_customer_fk;")
                    .contains("CREATE UNIQUE INDEX CONCURRENTLY accounts_id_email_key ON public.accounts (id, email);")
                    .contains("ALTER TABLE public.accounts ADD CONSTRAINT accounts_id_email_key UNIQUE USING INDEX "
                            + "accounts_id_email_key DEFERRABLE INITIALLY DEFERRED;");
            if (notNull) {
                assertThat(sql.toString()).contains("ALTER TABLE public.accounts ADD CONSTRAINT "
                        + "accounts_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;")
                        .contains("ALTER TABLE public.accounts ALTER COLUMN customer_id SET NOT NULL;");
            }

            liquibase(database, dir).update(new Contexts());
        } finally {
            database.close();
        }
        assertThat(db.queryString("SELECT string_agg(c.relname || ':' || i.indisvalid, ',' ORDER BY c.relname) "
                + "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'accounts'::regclass"))
                .isEqualTo("accounts_email_idx:true,accounts_id_email_idx:true,accounts_id_email_key:true,"
                        + "accounts_pkey:true");
        assertThat(db.queryString("SELECT condeferred::text FROM pg_constraint WHERE conname = "
                + "'accounts_id_email_key'")).isEqualTo("true");
        assertThat(db.queryString("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'accounts'::regclass "
                + "AND attname = 'customer_id'")).isEqualTo(String.valueOf(notNull));
        assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE conname = "
                + "'accounts_customer_id_not_null' AND contype = 'c'")).as("the check is dropped").isZero();
        assertThat(db.queryString("SELECT convalidated::text FROM pg_constraint WHERE conname = "
                + "'accounts_customer_fk'")).isEqualTo("true");
    }

    @PostgresTest
    @SuppressWarnings("deprecation") // Liquibase.update, the library's API
    void a_failed_concurrent_build_is_built_again_by_the_fixed_run(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE accounts (id int PRIMARY KEY, email text)",
                "INSERT INTO accounts SELECT g, 'a' || (g % 1000) FROM generate_series(1, 2000) g");
        Path dir = Files.createTempDirectory("zerolock-liquibase-failed-build");
        Files.writeString(dir.resolve("changelog.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: zerolock
                      runInTransaction: false
                      changes:
                        - createIndex:
                            tableName: accounts
                            indexName: accounts_email_key
                            unique: true
                            columns:
                              - column: {name: email}
                """);
        Database database = database(db);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> liquibase(database, dir).update(new Contexts()))
                    .hasStackTraceContaining("could not create unique index");
        } finally {
            database.close();
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'accounts_email_key'"))
                .as("the invalid index PostgreSQL leaves, dropped at once").isZero();
        // one left by a run that could not drop it (killed, say): the next run drops it, then builds
        try {
            db.execute("CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON accounts (email)");
        } catch (RuntimeException expected) {
            // duplicates: PostgreSQL leaves the index invalid
        }
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email_key'::regclass")).isEqualTo("false");
        db.execute("DELETE FROM accounts WHERE id > 1000");
        Database again = database(db);
        try {
            liquibase(again, dir).update(new Contexts());
        } finally {
            again.close();
        }
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email_key'::regclass")).isEqualTo("true");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
    }
}

package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {

    private static final String SCHEMA = """
            CREATE TABLE customers (id int NOT NULL, email text);
            INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 1000) g;
            CREATE TABLE orders (id int NOT NULL, customer_id int);
            INSERT INTO orders SELECT g, 1 + g % 1000 FROM generate_series(1, 2000) g;
            """;

    @PostgresTest(versions = 18)
    void applies_a_directory_in_natural_order_then_skips_what_it_applied(TestDatabase db, @TempDir Path dir)
            throws Exception {
        db.execute(SCHEMA);
        Files.writeString(dir.resolve("V10__fk.sql"), "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk "
                + "FOREIGN KEY (customer_id) REFERENCES customers (id);\n");
        Files.writeString(dir.resolve("V2__key.sql"), "ALTER TABLE customers ADD PRIMARY KEY (id);\n"
                + "CREATE INDEX orders_customer ON orders (customer_id);\n");

        Cli dryRun = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.all()).isZero();
        assertThat(dryRun.out()).contains("CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);")
                .contains("NOT VALID;").contains("Dry run: nothing was changed.");
        assertThat(dryRun.out().indexOf("V2__key.sql")).isLessThan(dryRun.out().indexOf("V10__fk.sql"));
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();

        Cli apply = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString());
        assertThat(apply.exitCode()).as(apply.all()).isZero();
        assertThat(apply.out()).contains("V2__key.sql: applied in").contains("rewritten (ZL011)")
                .contains("V10__fk.sql: applied in").contains("rewritten (ZL009)");
        assertThat(db.queryString("SELECT string_agg(name, ',' ORDER BY applied_at) FROM zerolock.applied_migration"))
                .isEqualTo("V2__key.sql,V10__fk.sql");

        Cli again = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "--format", "json");
        assertThat(again.exitCode()).as(again.all()).isZero();
        JsonNode files = new ObjectMapper().readTree(again.out());
        assertThat(files).hasSize(2).allSatisfy(file -> assertThat(file.get("status").asText())
                .isEqualTo("already_applied"));
    }

    @PostgresTest(versions = 14)
    void a_refused_statement_exits_2_naming_it_and_runs_nothing(TestDatabase db, @TempDir Path dir) throws Exception {
        db.execute(SCHEMA);
        Files.writeString(dir.resolve("V1__index.sql"), "CREATE INDEX orders_id ON orders (id);\n");
        Files.writeString(dir.resolve("V2__vacuum.sql"), "SELECT 1;\n\nVACUUM FULL orders;\n");

        Cli apply = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString());

        assertThat(apply.exitCode()).isEqualTo(2);
        assertThat(apply.err()).contains("nothing was run").contains("V2__vacuum.sql:3:")
                .contains("zerolock:allow");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_id'")).isZero();
    }

    @PostgresTest(versions = 18)
    void a_failed_statement_exits_1_with_the_report_and_what_the_next_run_does(TestDatabase db, @TempDir Path dir)
            throws Exception {
        db.execute(SCHEMA, "INSERT INTO customers VALUES (1, 'again')");
        Files.writeString(dir.resolve("V1__key.sql"), "ALTER TABLE customers ADD PRIMARY KEY (id);\n");

        Cli apply = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString());

        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.out()).contains("V1__key.sql: FAILED").contains("failed");
        assertThat(apply.err()).contains("could not create unique index").contains("next zerolock apply");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.applied_migration")).isZero();
    }

    @PostgresTest(versions = 18)
    void placeholders_are_filled_and_the_history_keeps_the_file_as_written(TestDatabase db, @TempDir Path dir)
            throws Exception {
        db.execute(SCHEMA);
        Files.writeString(dir.resolve("V1__grant.sql"), "\\set ON_ERROR_STOP on\n"
                + "CREATE TABLE ${prefix}_audit (id int);\n");
        Cli missing = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("placeholders without a value: prefix").contains("nothing was run");

        Cli first = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "-P", "prefix=shop");
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'shop_audit'")).isOne();
        Cli again = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "-P", "prefix=other");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).as("the same file, with another environment's values").contains("applied already");

        Files.writeString(dir.resolve("V2__include.sql"), "\\i more.sql\nSELECT 1;\n");
        Cli include = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "-P", "prefix=shop");
        assertThat(include.exitCode()).isEqualTo(2);
        assertThat(include.err()).contains("V2__include.sql:1: psql meta-command \\i more.sql");
    }

    @PostgresTest(versions = 18)
    void bad_input_is_a_usage_error(TestDatabase db, @TempDir Path dir) throws Exception {
        Cli missing = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.resolve("nope.sql").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");

        Cli empty = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("no *.sql files");

        Files.writeString(dir.resolve("V1.sql"), "SELECT 1;\n");
        Cli zero = Cli.run("apply", "-d", CommandLineTest.uri(db), dir.toString(), "--lock-timeout", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--lock-timeout");
    }
}

package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    private static void bloated(TestDatabase db) {
        db.execute("CREATE TABLE child (id int PRIMARY KEY, v text)",
                "INSERT INTO child SELECT g, md5(g::text) FROM generate_series(1, 60000) g",
                "CREATE INDEX child_v ON child (v)",
                "DELETE FROM child WHERE id % 10 < 6", "VACUUM ANALYZE child");
    }

    @PostgresTest
    void a_pass_rebuilds_what_is_worth_it_and_keeps_the_gates_decision(TestDatabase db) throws Exception {
        bloated(db);
        Cli run = Cli.run("worker", "-d", CommandLineTest.uri(db), "--once", "--min-size", "100kB", "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode pass = JSON.readTree(run.out()).get(0);
        assertThat(pass.get("status").asText()).isEqualTo("done");
        assertThat(pass.get("outcomes")).hasSize(2);
        assertThat(db.queryString("SELECT verdict FROM zerolock.gate_decision WHERE command = 'worker'"))
                .isEqualTo("go");
        Cli again = Cli.run("worker", "-d", CommandLineTest.uri(db), "--once", "--min-size", "100kB");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("nothing worth rebuilding");
    }

    /** On 11 the rebuild is a swap (a working index), on 14 REINDEX CONCURRENTLY: both repaired. */
    @PostgresTest(versions = {11, 14})
    void a_pass_killed_mid_build_is_repaired_by_the_next(TestDatabase db) throws Exception {
        bloated(db);
        long sizeBefore = db.queryLong("SELECT pg_relation_size('child_v')");
        try (java.sql.Connection holder = db.connect(); java.sql.Statement holding = holder.createStatement()) {
            // an old snapshot stalls the concurrent build: the worker is killed while it waits
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT count(*) FROM child");
            Process worker = Cli.start("worker-kill.log", "worker", "-d", CommandLineTest.uri(db), "--once",
                    "--min-size", "100kB", "--max-xact-age", "1h");
            try {
                Await.until("the worker builds", () -> db.queryString("SELECT pid FROM pg_stat_activity WHERE "
                        + "datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query ~* "
                        + "'^(REINDEX|CREATE).* CONCURRENTLY'") != null);
            } finally {
                worker.destroyForcibly().waitFor();
            }
            holding.execute("ROLLBACK");
        }
        Cli next = Cli.run("worker", "-d", CommandLineTest.uri(db), "--once", "--min-size", "100kB", "--format",
                "json");
        assertThat(next.exitCode()).as(next.all()).isZero();
        JsonNode pass = JSON.readTree(next.out()).get(0);
        assertThat(pass.get("status").asText()).isEqualTo("done");
        assertThat(db.queryString("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isEqualTo("0");
        assertThat(db.queryString("SELECT count(*) FROM pg_class WHERE relname ~ '_ccnew|_ccold|^zerolock_'"))
                .isEqualTo("0");
        assertThat(db.queryString("SELECT count(*) FROM zerolock.operation WHERE outcome = 'running'")).isEqualTo("0");
        // the killed rebuild has its final outcome; its index was rebuilt either by the statement the dead
        // worker left running (PostgreSQL finishes it) or by this pass
        assertThat(db.queryString("SELECT outcome FROM zerolock.operation ORDER BY id LIMIT 1")).isEqualTo("interrupted");
        assertThat(db.queryLong("SELECT pg_relation_size('child_v')")).isLessThan(sizeBefore * 6 / 10);
        assertThat(db.queryString("SELECT count(*) FROM child")).isEqualTo("24000");
    }

    @PostgresTest(versions = {14})
    void a_fleet_pass_goes_on_past_a_database_that_is_down(TestDatabase db) throws Exception {
        bloated(db);
        TestDatabase second = db.sibling();
        bloated(second);
        Path fleet = files.resolve("fleet.toml");
        Files.writeString(fleet, """
                parallelism = 2

                [defaults]
                min_size = "100kB"

                [[database]]
                name = "first"
                dbname = "%s"

                [[database]]
                name = "second"
                dbname = "%s"
                max = 1

                [[database]]
                name = "down"
                dbname = "postgresql://postgres@localhost:1/nowhere?connect_timeout=2"
                """.formatted(CommandLineTest.uri(db), CommandLineTest.uri(second)));
        Cli run = Cli.run("worker", "--fleet", fleet.toString(), "--once", "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        JsonNode passes = JSON.readTree(run.out());
        assertThat(passes).hasSize(3);
        assertThat(passes.get(0).get("status").asText()).isEqualTo("done");
        assertThat(passes.get(0).get("outcomes")).hasSize(2);
        assertThat(passes.get(1).get("status").asText()).isEqualTo("done");
        assertThat(passes.get(1).get("outcomes")).as("max = 1 for this one").hasSize(1);
        assertThat(passes.get(2).get("database").asText()).isEqualTo("down");
        assertThat(passes.get(2).get("status").asText()).isEqualTo("failed");
        assertThat(passes.get(2).get("message").asText()).contains("cannot reach it");
    }

    @PostgresTest(versions = {14})
    void refuses_a_fleet_file_with_a_password_or_a_typo(TestDatabase db) throws Exception {
        Path withPassword = files.resolve("secret.toml");
        Files.writeString(withPassword, """
                [[database]]
                name = "orders"
                dbname = "postgresql://app:hunter2@db/orders"
                """);
        Cli secret = Cli.run("worker", "--fleet", withPassword.toString(), "--once");
        assertThat(secret.exitCode()).isEqualTo(2);
        assertThat(secret.err()).contains("passwords never go in the fleet file").doesNotContain("hunter2");
        Path typo = files.resolve("typo.toml");
        Files.writeString(typo, """
                [[database]]
                name = "orders"
                dbname = "orders"
                windw = "daily 01:00-02:00"
                """);
        Cli typoRun = Cli.run("worker", "--fleet", typo.toString(), "--once");
        assertThat(typoRun.exitCode()).isEqualTo(2);
        assertThat(typoRun.err()).contains("unknown key 'windw'");
    }
}

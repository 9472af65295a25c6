package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code zerolock queue} and the worker that runs it, end to end through the command line. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QueueCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    static void orders(TestDatabase db) {
        db.execute("""
                CREATE TABLE customers (id bigint PRIMARY KEY);
                INSERT INTO customers SELECT g FROM generate_series(0, 99) g;
                CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, created_at timestamptz, note text);
                INSERT INTO orders SELECT g, g % 100, now() - g * interval '1 minute', md5(g::text)
                FROM generate_series(1, 50000) g;
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers
                    NOT VALID;
                """);
    }

    /** A window that is open now and for the next two hours, and one that opened and closed hours ago. */
    private static String closedWindow() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime start = now.plusHours(6);
        return "daily %02d:00-%02d:30 UTC".formatted(start.getHour(), start.getHour());
    }

    @PostgresTest
    void queues_a_file_builds_it_in_the_window_only_and_reports_it_done(TestDatabase db) throws Exception {
        orders(db);
        Path migration = files.resolve("V42__async_indexes.sql");
        Files.writeString(migration, """
                CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
                CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note) WHERE note LIKE 'a%';
                ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
                """);
        String uri = CommandLineTest.uri(db);
        Cli add = Cli.run("queue", "add", "-d", uri, "--file", migration.toString());
        assertThat(add.exitCode()).as(add.all()).isZero();
        assertThat(add.out()).contains("orders_created_at_idx", "orders_note_idx", "orders_customer_fk", "queued");
        Cli pending = Cli.run("queue", "status", "-d", uri, "--require", "orders_created_at_idx", "orders_customer_fk");
        assertThat(pending.exitCode()).as(pending.all()).isEqualTo(1);
        assertThat(pending.out()).contains("NOT DONE");

        Cli closed = Cli.run("worker", "-d", uri, "--once", "--window", closedWindow(), "--format", "json");
        assertThat(closed.exitCode()).as(closed.all()).isZero();
        JsonNode closedPass = JSON.readTree(closed.out()).get(0);
        assertThat(closedPass.get("status").asText()).isEqualTo("outside_window");
        assertThat(closedPass.get("not_started").toString()).contains("orders_created_at_idx", "window");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname IN ('orders_created_at_idx', "
                + "'orders_note_idx')")).isZero();

        Cli open = Cli.run("worker", "-d", uri, "--once", "--window", "* * * * * 2h", "--format", "json");
        assertThat(open.exitCode()).as(open.all()).isZero();
        JsonNode openPass = JSON.readTree(open.out()).get(0);
        assertThat(openPass.get("queued")).hasSize(3).allSatisfy(item -> assertThat(item.get("outcome").asText())
                .isEqualTo("done"));

        Cli list = Cli.run("queue", "list", "-d", uri, "--format", "json");
        assertThat(list.exitCode()).as(list.all()).isZero();
        JsonNode items = JSON.readTree(list.out()).get("items");
        assertThat(items).hasSize(3).allSatisfy(item -> {
            assertThat(item.get("state").asText()).isEqualTo("done");
            assertThat(item.get("attempts").asInt()).isEqualTo(1);
            assertThat(item.get("last_error").isNull()).isTrue();
            assertThat(item.has("kind") && item.has("name")).isTrue();
        });
        assertThat(items.get(0).get("name").asText()).isEqualTo("orders_created_at_idx");
        assertThat(items.get(2).get("kind").asText()).isEqualTo("validate_constraint");
        Cli done = Cli.run("queue", "status", "-d", uri, "--require", "orders_created_at_idx", "orders_customer_fk");
        assertThat(done.exitCode()).as(done.all()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
        assertThat(db.queryString("SELECT string_agg(strategy, ',' ORDER BY id) FROM zerolock.history WHERE command "
                + "= 'queue'")).isEqualTo("add,add,add,build,build,validate");
        // dropped by hand since: status says so, whatever the queue remembers
        db.execute("DROP INDEX orders_created_at_idx");
        Cli gone = Cli.run("queue", "status", "-d", uri, "--require", "orders_created_at_idx");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.out()).contains("no longer has it");
    }

    @PostgresTest(versions = {14})
    void held_items_wait_for_approval_and_bad_input_is_refused(TestDatabase db) throws Exception {
        orders(db);
        String uri = CommandLineTest.uri(db);
        // reading creates nothing, not even the state schema
        assertThat(Cli.run("queue", "list", "-d", uri).out()).contains("the queue is empty");
        assertThat(Cli.run("queue", "status", "-d", uri, "--require", "orders_note_idx").exitCode()).isEqualTo(1);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();
        assertThat(Cli.run("queue", "drop-index", "-d", uri, "orders_pkey").err()).contains("enforces a constraint");
        Cli noName = Cli.run("queue", "add", "-d", uri, "CREATE INDEX ON orders (note)");
        assertThat(noName.exitCode()).isEqualTo(2);
        assertThat(noName.err()).contains("has no name");
        assertThat(Cli.run("queue", "approve", "-d", uri, "nothing_like_it").exitCode()).isEqualTo(2);
        Cli held = Cli.run("queue", "add", "-d", uri, "--hold", "CREATE INDEX orders_note_idx ON orders (note)");
        assertThat(held.exitCode()).as(held.all()).isZero();
        assertThat(held.out()).contains("held");
        Cli pass = Cli.run("worker", "-d", uri, "--once");
        assertThat(pass.exitCode()).as(pass.all()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_note_idx'")).isZero();
        assertThat(Cli.run("queue", "approve", "-d", uri, "orders_note_idx").out()).contains("queued");
        assertThat(Cli.run("worker", "-d", uri, "--once").exitCode()).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_note_idx'")).isOne();
        assertThat(Cli.run("queue", "remove", "-d", uri, "orders_note_idx").out()).contains("removed");
        assertThat(Cli.run("queue", "list", "-d", uri).out()).contains("the queue is empty");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_note_idx'")).isOne();
    }

    @PostgresTest
    void a_stuck_build_is_cancelled_naming_its_blocker_and_tried_again_later(TestDatabase db) throws Exception {
        orders(db);
        String uri = CommandLineTest.uri(db);
        assertThat(Cli.run("queue", "add", "-d", uri, "CREATE INDEX orders_note_idx ON orders (note)").exitCode())
                .isZero();
        try (java.sql.Connection holder = db.connect(); java.sql.Statement holding = holder.createStatement()) {
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT count(*) FROM customers");
            int blocker = pid(holder);
            Cli pass = Cli.run("worker", "-d", uri, "--once", "--max-wait", "3s", "--max-xact-age", "1h", "--format",
                    "json");
            assertThat(pass.exitCode()).as(pass.all()).isEqualTo(1);
            JsonNode item = JSON.readTree(pass.out()).get(0).get("queued").get(0);
            assertThat(item.get("outcome").asText()).isEqualTo("retry");
            assertThat(item.get("last_error").asText()).contains("pid=" + blocker, "--max-wait");
            assertThat(item.get("state").asText()).isEqualTo("queued");
            assertThat(item.get("not_before").isNull()).isFalse();
            holding.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_note_idx'")).isZero();
        // its backoff has not passed: the next pass leaves it
        Cli early = Cli.run("worker", "-d", uri, "--once", "--format", "json");
        assertThat(JSON.readTree(early.out()).get(0).get("queued")).isEmpty();
        assertThat(db.queryString("SELECT count(*) FROM zerolock.history WHERE command = 'queue' AND outcome = "
                + "'failed' AND error LIKE '%pid=%'")).isEqualTo("1");
    }

    @PostgresTest(versions = {11, 18})
    void two_workers_build_an_item_once_and_a_killed_build_is_repaired(TestDatabase db) throws Exception {
        orders(db);
        String uri = CommandLineTest.uri(db);
        assertThat(Cli.run("queue", "add", "-d", uri, "CREATE INDEX orders_note_idx ON orders (note)").exitCode())
                .isZero();
        try (java.sql.Connection holder = db.connect(); java.sql.Statement holding = holder.createStatement()) {
            // an old snapshot stalls the build: the worker is killed while it waits
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute("SELECT count(*) FROM customers");
            Process worker = Cli.start("queue-kill.log", "worker", "-d", uri, "--once", "--max-xact-age", "1h");
            try {
                Await.until("the worker builds", () -> db.queryString("SELECT pid FROM pg_stat_activity WHERE "
                        + "datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query "
                        + "~* '^/\\* zerolock queue \\*/ CREATE INDEX CONCURRENTLY'") != null);
                // a second worker meanwhile: the lease keeps it off the database
                Cli second = Cli.run("worker", "-d", uri, "--once", "--max-wait", "20s", "--format", "json");
                assertThat(second.exitCode()).as(second.all()).isZero();
                assertThat(JSON.readTree(second.out()).get(0).get("status").asText()).isEqualTo("leased");
            } finally {
                worker.destroyForcibly().waitFor();
            }
            holding.execute("ROLLBACK");
        }
        assertThat(db.queryString("SELECT state FROM zerolock.queue")).isEqualTo("running");
        Cli next = Cli.run("worker", "-d", uri, "--once", "--format", "json");
        assertThat(next.exitCode()).as(next.all()).isZero();
        JsonNode item = JSON.readTree(next.out()).get(0).get("queued").get(0);
        assertThat(item.get("outcome").asText()).isEqualTo("done");
        assertThat(db.queryString("SELECT state || ' ' || attempts FROM zerolock.queue")).isIn("done 2", "done 1");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE "
                + "c.relname = 'orders_note_idx' AND i.indisvalid")).isOne();
        // a third pass finds nothing to do: built once
        Cli third = Cli.run("worker", "-d", uri, "--once", "--format", "json");
        assertThat(JSON.readTree(third.out()).get(0).get("queued")).isEmpty();
    }

    private static int pid(java.sql.Connection connection) throws Exception {
        try (java.sql.Statement sql = connection.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

package io.zerolock.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.ProgressListener;
import io.zerolock.Zerolock;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The queue: what it takes, how it knows an item by definition, and how it runs one. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueueTest {

    static final String SCHEMA = """
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, created_at timestamptz, status text,
                                 email text);
            INSERT INTO orders SELECT g, g % 100, now() - g * interval '1 minute', CASE WHEN g % 3 = 0 THEN 'open'
                   ELSE 'closed' END, 'user' || g || '@example.com' FROM generate_series(1, 5000) g;
            CREATE TABLE customers (id bigint PRIMARY KEY);
            INSERT INTO customers SELECT g FROM generate_series(0, 99) g;
            ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers
                NOT VALID;
            """;

    static ConnectionTarget target(TestDatabase db) {
        return new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody").resolve(
                ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + db.port() + "/" + db.name()));
    }

    static List<QueueRunner.Outcome> runDue(Zerolock zerolock, Queue queue) {
        return zerolock.runQueue(queue, null, ReindexOptions.defaults(), progress -> { }, Clock.systemUTC());
    }

    @PostgresTest
    void queues_a_migration_file_and_builds_each_item_by_its_definition(TestDatabase db) {
        db.execute(SCHEMA);
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            Queue.AddResult added = queue.add("V42__async.sql", """
                    -- built later by the worker
                    CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
                    CREATE UNIQUE INDEX IF NOT EXISTS "Orders Email" ON public.orders USING btree (lower(email))
                        WHERE status = 'open';
                    ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
                    SELECT 1;
                    """, false, Queue.DEFAULT_MAX_ATTEMPTS);
            assertThat(added.additions()).extracting(a -> a.item().kind()).containsExactly(ItemKind.CREATE_INDEX,
                    ItemKind.CREATE_INDEX, ItemKind.VALIDATE_CONSTRAINT);
            assertThat(added.additions()).allMatch(a -> a.added() == Queue.Added.QUEUED);
            assertThat(added.skipped()).singleElement().asString().contains("V42__async.sql:6");
            assertThat(added.additions().get(1).item().definition()).isEqualTo("CREATE UNIQUE INDEX CONCURRENTLY "
                    + "\"Orders Email\" ON \"public\".\"orders\" USING btree (lower(email)) WHERE (status = "
                    + "'open'::text)");
            assertThat(db.queryLong("SELECT count(*) FROM pg_indexes WHERE tablename = 'orders'")).isEqualTo(1);

            List<QueueRunner.Outcome> outcomes = runDue(zerolock, queue);
            assertThat(outcomes).extracting(QueueRunner.Outcome::status).containsOnly(QueueRunner.Status.DONE);
            assertThat(queue.list()).allMatch(item -> item.state() == ItemState.DONE
                    && item.progress().attempts() == 1);
            assertThat(db.queryLong("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    + "WHERE c.relname IN ('orders_created_at_idx', 'Orders Email') AND i.indisvalid")).isEqualTo(2);
            assertThat(db.queryString("SELECT convalidated::text FROM pg_constraint WHERE conname = "
                    + "'orders_customer_fk'")).isEqualTo("true");
            // queueing the same again changes nothing; the same name with another definition is refused
            assertThat(queue.add(null, "CREATE INDEX orders_created_at_idx ON orders USING btree (created_at)", false,
                    3).additions()).singleElement().extracting(Queue.Addition::added)
                    .isEqualTo(Queue.Added.ALREADY_QUEUED);
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX orders_created_at_idx ON orders (created_at DESC)",
                    false, 3)).isInstanceOf(QueueRefused.class).hasMessageContaining("another definition")
                    .hasMessageContaining("(created_at)").hasMessageContaining("(created_at DESC)");
            assertThat(zerolock.history("zerolock", java.time.Instant.EPOCH).operations()).extracting(o -> o.command() + " "
                    + o.strategy()).contains("queue add", "queue build", "queue validate");
        }
    }

    @PostgresTest
    void an_index_present_under_the_name_with_another_definition_is_refused_and_left_alone(TestDatabase db) {
        db.execute(SCHEMA, "CREATE INDEX orders_created_at_idx ON orders (status)");
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX orders_created_at_idx ON orders (created_at)",
                    false, 3)).isInstanceOf(QueueRefused.class)
                    .hasMessageContaining("USING btree (status)").hasMessageContaining("USING btree (created_at)");
            assertThat(queue.list()).isEmpty();
            // the same definition present and valid: queued as done, so a later migration and status see it
            Queue.AddResult same = queue.add(null, "CREATE INDEX orders_created_at_idx ON orders (status)", false, 3);
            assertThat(same.additions()).singleElement().extracting(Queue.Addition::added)
                    .isEqualTo(Queue.Added.ALREADY_DONE);
            // built with another definition after it was queued: the item fails and the index stays
            db.execute("DROP INDEX orders_created_at_idx");
            queue.remove("orders_created_at_idx");
            queue.add(null, "CREATE INDEX orders_created_at_idx ON orders (created_at)", false, 3);
            db.execute("CREATE INDEX orders_created_at_idx ON orders (email)");
            assertThat(runDue(zerolock, queue)).singleElement().satisfies(outcome -> {
                assertThat(outcome.status()).isEqualTo(QueueRunner.Status.FAILED);
                assertThat(outcome.message()).contains("USING btree (email)", "USING btree (created_at)");
            });
            assertThat(db.queryString("SELECT pg_get_indexdef('orders_created_at_idx'::regclass)"))
                    .endsWith("(email)");
            assertThat(queue.list()).singleElement().satisfies(item -> {
                assertThat(item.state()).isEqualTo(ItemState.FAILED);
                assertThat(item.progress().lastError()).contains("never drops a valid index");
            });
        }
    }

    @PostgresTest
    void an_invalid_index_of_the_name_is_dropped_and_built_again(TestDatabase db) {
        db.execute(SCHEMA, "INSERT INTO orders VALUES (100000, 1, now(), 'x', 'user1@example.com')");
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            try {
                db.execute("CREATE UNIQUE INDEX CONCURRENTLY orders_email_key ON orders (email)");
            } catch (RuntimeException expected) {
                // a failed earlier build: it leaves an invalid index of the name
            }
            assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                    + "'orders_email_key'::regclass")).isEqualTo("false");
            db.execute("DELETE FROM orders WHERE id = 100000");
            queue.add(null, "CREATE UNIQUE INDEX orders_email_key ON orders (email)", false, 3);
            assertThat(runDue(zerolock, queue)).singleElement().extracting(QueueRunner.Outcome::status)
                    .isEqualTo(QueueRunner.Status.DONE);
            assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                    + "'orders_email_key'::regclass")).isEqualTo("true");
            assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
        }
    }

    @PostgresTest
    void a_unique_build_over_duplicates_fails_cleanly_and_records_the_error(TestDatabase db) {
        db.execute(SCHEMA);
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            queue.add(null, "CREATE UNIQUE INDEX orders_customer_key ON orders (customer_id)", false, 3);
            assertThat(runDue(zerolock, queue)).singleElement().extracting(QueueRunner.Outcome::status)
                    .isEqualTo(QueueRunner.Status.FAILED);
            assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_customer_key'")).isZero();
            assertThat(queue.list()).singleElement().satisfies(item -> {
                assertThat(item.state()).isEqualTo(ItemState.FAILED);
                assertThat(item.progress().lastError()).contains("could not create unique index",
                        "dropped what it left behind");
            });
            assertThat(queue.require(List.of("orders_customer_key"))).singleElement()
                    .satisfies(requirement -> assertThat(requirement.done()).isFalse());
        }
    }

    @PostgresTest
    void refuses_what_it_cannot_queue_with_why(TestDatabase db) {
        db.execute(SCHEMA, "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at)");
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX ON orders (status)", false, 3))
                    .hasMessageContaining("has no name");
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX x_idx ON nowhere (status)", false, 3))
                    .hasMessageContaining("there is no table nowhere");
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX x_idx ON orders (nosuchcolumn)", false, 3))
                    .hasMessageContaining("PostgreSQL refuses it").hasMessageContaining("nosuchcolumn");
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX events_at_idx ON events (at)", false, 3))
                    .hasMessageContaining("partitioned");
            assertThatThrownBy(() -> queue.add(null, "ALTER TABLE orders VALIDATE CONSTRAINT nope", false, 3))
                    .hasMessageContaining("has no constraint nope");
            assertThatThrownBy(() -> queue.add(null, "DROP INDEX orders_pkey", false, 3))
                    .hasMessageContaining("enforces a constraint");
            assertThatThrownBy(() -> queue.add(null, "CREATE INDEX a_idx ON orders (status); CREATE INDEX b_idx ON "
                    + "orders (nosuch)", false, 3)).hasMessageContaining("nosuch");
            assertThat(queue.list()).isEmpty(); // a file is queued all or none
        }
    }

    @PostgresTest(versions = {14})
    void builds_only_inside_the_window_and_only_what_fits_in_what_is_left_of_it(TestDatabase db) {
        db.execute(SCHEMA);
        io.zerolock.maintain.Window window = io.zerolock.maintain.Window.parse("daily 10:00-11:00 UTC");
        java.time.Instant day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay()
                .toInstant(java.time.ZoneOffset.UTC);
        try (Zerolock zerolock = Zerolock.connect(target(db)); Queue queue = zerolock.queue("zerolock")) {
            queue.add(null, "CREATE INDEX orders_status_idx ON orders (status)", false, 3);
            // closed: nothing starts
            assertThat(zerolock.runQueue(queue, window, ReindexOptions.defaults(), progress -> { },
                    Clock.fixed(day.plusSeconds(12 * 3600), java.time.ZoneOffset.UTC))).singleElement()
                    .satisfies(outcome -> {
                        assertThat(outcome.status()).isEqualTo(QueueRunner.Status.NOT_STARTED);
                        assertThat(outcome.message()).contains("is closed", "opens next at");
                    });
            // open, but closing in 5 s: a build predicted to take longer waits for the next window
            assertThat(zerolock.runQueue(queue, window, ReindexOptions.defaults(), progress -> { },
                    Clock.fixed(day.plusSeconds(11 * 3600 - 5), java.time.ZoneOffset.UTC))).singleElement()
                    .satisfies(outcome -> {
                        assertThat(outcome.status()).isEqualTo(QueueRunner.Status.NOT_STARTED);
                        assertThat(outcome.message()).contains("needs about", "the window closes in 5 s");
                    });
            assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_status_idx'")).isZero();
            assertThat(db.queryString("SELECT string_agg(verdict, ',' ORDER BY id) FROM zerolock.gate_decision "
                    + "WHERE command = 'queue'")).isEqualTo("wait,skip");
            // open, with time to spare: built
            assertThat(zerolock.runQueue(queue, window, ReindexOptions.defaults(), progress -> { },
                    Clock.fixed(day.plusSeconds(10 * 3600 + 60), java.time.ZoneOffset.UTC))).singleElement()
                    .extracting(QueueRunner.Outcome::status).isEqualTo(QueueRunner.Status.DONE);
        }
    }
}

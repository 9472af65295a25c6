package io.zerolock.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.Zerolock;
import io.zerolock.apply.ApplyOptions;
import io.zerolock.apply.ApplyRefused;
import io.zerolock.apply.MigrationFile;
import io.zerolock.check.Checker;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The migration that creates for real what the queue builds: a no-op when built, a build when not. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LaterMigrationTest {

    private static final String LATER = """
            CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);
            ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
            """;

    private static MigrationFile file(String name, String sql) {
        return new MigrationFile(name, new Checker.Source(name, sql));
    }

    private static long indexBuilds(TestDatabase db) {
        return db.queryLong("SELECT count(*) FROM zerolock.step WHERE kind = 'build' AND attempts > 0");
    }

    @PostgresTest
    void the_later_migration_is_a_no_op_once_the_queue_built_it(TestDatabase db) {
        db.execute(QueueTest.SCHEMA);
        try (Zerolock zerolock = Zerolock.connect(QueueTest.target(db)); Queue queue = zerolock.queue("zerolock")) {
            queue.add("V42__async.sql", LATER, false, 3);
            assertThat(QueueTest.runDue(zerolock, queue)).extracting(QueueRunner.Outcome::status)
                    .containsOnly(QueueRunner.Status.DONE);
            long oid = db.queryLong("SELECT 'orders_created_at_idx'::regclass::oid");
            long builds = indexBuilds(db);
            zerolock.apply(List.of(file("V43__indexes.sql", LATER)), ApplyOptions.defaults(), false,
                    progress -> { });
            assertThat(indexBuilds(db)).isEqualTo(builds);
            assertThat(db.queryLong("SELECT 'orders_created_at_idx'::regclass::oid")).isEqualTo(oid);
            assertThat(db.queryString("SELECT string_agg(note, '; ' ORDER BY position) FROM zerolock.step s JOIN "
                    + "zerolock.operation o ON o.id = s.operation_id WHERE o.kind = 'apply'"))
                    .contains("skipped: a valid index public.orders_created_at_idx with exactly this definition "
                            + "exists (built from the async queue, item 1)")
                    .contains("skipped: the constraint orders_customer_fk on public.orders is validated already");
        }
    }

    @PostgresTest
    void the_later_migration_builds_what_the_queue_has_not_and_marks_it_done(TestDatabase db) {
        db.execute(QueueTest.SCHEMA);
        try (Zerolock zerolock = Zerolock.connect(QueueTest.target(db)); Queue queue = zerolock.queue("zerolock")) {
            queue.add("V42__async.sql", LATER, false, 3);
            assertThatThrownBy(() -> zerolock.apply(List.of(file("V43__indexes.sql", LATER)), ApplyOptions.defaults()
                    .withRequireQueued(true), false, progress -> { })).isInstanceOf(ApplyRefused.class)
                    .hasMessageContaining("--require-queued: the async queue has not finished "
                            + "public.orders_created_at_idx (it is queued, 0 attempt(s))");
            assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_created_at_idx'")).isZero();

            zerolock.apply(List.of(file("V43__indexes.sql", LATER)), ApplyOptions.defaults(), false, progress -> { });
            assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                    + "'orders_created_at_idx'::regclass")).isEqualTo("true");
            assertThat(queue.list()).allSatisfy(item -> assertThat(item.state()).isEqualTo(ItemState.DONE));
            // the worker has nothing left to do
            assertThat(QueueTest.runDue(zerolock, queue)).isEmpty();
        }
    }

    @PostgresTest(versions = {14})
    void a_same_named_index_of_another_definition_is_not_taken_for_the_queued_one(TestDatabase db) {
        db.execute(QueueTest.SCHEMA, "CREATE INDEX orders_created_at_idx ON orders (status)");
        try (Zerolock zerolock = Zerolock.connect(QueueTest.target(db))) {
            assertThatThrownBy(() -> zerolock.apply(List.of(file("V43__indexes.sql",
                    "CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);")),
                    ApplyOptions.defaults(), false, progress -> { })).hasMessageContaining("already exists");
        }
    }
}

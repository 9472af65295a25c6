package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class LockRetryTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY);
            INSERT INTO parent SELECT generate_series(1, 1000);
            CREATE TABLE child (parent_id int REFERENCES parent);
            INSERT INTO child SELECT generate_series(1, 1000);
            """;

    @PostgresTest
    void retries_the_swap_with_backoff_and_succeeds_once_the_lock_is_released(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE child IN ACCESS SHARE MODE"); // a long reader of the child table
            // the reader goes away once the swap has timed out at least once and is retrying
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                awaitQuery(db, "LOCK TABLE%", true);
                awaitQuery(db, "LOCK TABLE%", false);
                rollback(statement);
            });

            List<ReindexOutcome> outcomes = new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                    .withStrategy(Strategy.SWAP).withLocks(Duration.ofMillis(200), 10))
                    .run(ReindexRequest.indexes("parent_pkey"), false);
            release.get();
            assertThat(outcomes.get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
            assertThat(outcomes.get(0).retries()).isPositive();
        }
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
    }

    @PostgresTest
    void gives_up_after_the_retries_and_leaves_the_database_as_before(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        List<Long> files = CatalogFingerprint.files(db, "parent_pkey");
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE parent IN ACCESS SHARE MODE");
            // the reader goes away once the swap has given up and the undo has started waiting for it
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                awaitQuery(db, "DROP INDEX CONCURRENTLY%", true);
                rollback(statement);
            });
            long started = System.nanoTime();
            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                    .withStrategy(Strategy.SWAP).withLocks(Duration.ofMillis(100), 3))
                    .run(ReindexRequest.indexes("parent_pkey"), false))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                    .hasMessageContaining("step swap could not take ACCESS EXCLUSIVE on public.parent, public.child "
                            + "within lock_timeout=100ms in 3 attempts")
                    .hasMessageContaining("the database is as before (undone: DROP INDEX CONCURRENTLY IF EXISTS")
                    // the session in the way is named, with its lock and its query
                    .hasMessageContaining("held by pid ").hasMessageContaining("AccessShareLock on public.parent")
                    .hasMessageContaining("LOCK TABLE parent IN ACCESS SHARE MODE");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            release.get();
        }
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(CatalogFingerprint.files(db, "parent_pkey")).isEqualTo(files);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isZero();
    }

    @PostgresTest(versions = 18)
    void a_working_index_left_behind_is_dropped_by_the_next_run(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        ReindexOptions impatient = ReindexOptions.defaults().withStrategy(Strategy.SWAP)
                .withLocks(Duration.ofMillis(50), 2);
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE parent IN ACCESS SHARE MODE"); // never released during the run
            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), impatient)
                    .run(ReindexRequest.indexes("parent_pkey"), false))
                    .hasMessageContaining("could not finish undoing")
                    .hasMessageContaining("the next zerolock run on this index drops what is left");
            statement.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isOne();

        List<ReindexOutcome> again = new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                .withStrategy(Strategy.SWAP)).run(ReindexRequest.indexes("parent_pkey"), false);
        assertThat(again.get(0).plan().steps().get(0).name()).isEqualTo("drop-leftover");
        assertThat(again.get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isZero();
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
    }

    /** Waits until a session is (or no longer is) waiting for a lock in a statement like {@code pattern}. */
    private static void awaitQuery(TestDatabase db, String pattern, boolean waiting) {
        Await.untilQuery(db, (waiting ? "" : "no more ") + "lock wait in " + pattern, "SELECT " + (waiting ? "" : "NOT ")
                + "EXISTS (SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND wait_event_type = 'Lock' "
                + "AND query LIKE '" + pattern + "')");
    }

    private static void rollback(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

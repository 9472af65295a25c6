package io.zerolock.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.execute.Backfill;
import io.zerolock.execute.Executor;
import io.zerolock.testing.Await;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Backfills: an UPDATE of every row, and the rows a column with a volatile default needs, run in key
 * ranges (each its own short transaction), exactly once per row even across a kill, pausing while the
 * server is not healthy.
 */
class ApplyBackfillTest {

    private static final String TABLE = """
            CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL);
            INSERT INTO items SELECT g, g FROM generate_series(1, 20000) g;
            """;

    /** Batches of about a millisecond: many of them, so ranges and resumption are exercised. */
    private static ApplyOptions smallBatches() {
        return ApplyOptions.defaults().withThrottle(new Backfill.Throttle(Duration.ofMillis(1), Duration.ofSeconds(10),
                1L << 30, Duration.ofMinutes(10)));
    }

    @PostgresTest
    void a_volatile_default_is_added_then_backfilled_leaving_the_catalog_psql_leaves(TestDatabase db) {
        String migration = "ALTER TABLE items ADD COLUMN score float8 DEFAULT random();\n"
                + (db.majorVersion() >= 12 ? "ALTER TABLE items ADD COLUMN tag float8 NOT NULL DEFAULT random();\n"
                        : "");
        TestDatabase asWritten = db.sibling();
        asWritten.execute(TABLE, migration);
        db.execute(TABLE);

        List<ApplyOutcome> outcomes = new Applier(ApplyTest.connector(db), smallBatches())
                .run(List.of(ApplyTest.file("V2__score.sql", migration)), false);

        assertThat(outcomes.get(0).statements()).allSatisfy(statement -> assertThat(statement.how())
                .isEqualTo("rewritten (ZL006)"));
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(CatalogFingerprint.of(asWritten,
                "public"));
        assertThat(db.queryLong("SELECT count(*) FROM items WHERE score IS NULL")).isZero();
        assertThat(db.queryLong("SELECT count(DISTINCT score) FROM items")).as("each row its own value")
                .isGreaterThan(19000);
        assertThat(db.queryString("SELECT note FROM zerolock.step WHERE kind = 'backfill' ORDER BY position LIMIT 1"))
                .startsWith("20000 rows in ");
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.step WHERE kind = 'backfill' AND note ~ ' 1 batches'"))
                .as("in many batches").isZero();
    }

    @PostgresTest
    void a_whole_table_update_killed_mid_backfill_is_finished_by_the_next_apply_each_row_once(TestDatabase db) {
        db.execute(TABLE);
        MigrationFile doubling = ApplyTest.file("V2__double.sql", "UPDATE items SET v = v * 2;");
        System.setProperty(Backfill.HALT_AFTER_BATCHES, "3");
        try {
            assertThatThrownBy(() -> new Applier(ApplyTest.connector(db), smallBatches()).run(List.of(doubling), false))
                    .isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Backfill.HALT_AFTER_BATCHES);
        }
        long doneBeforeTheKill = db.queryLong("SELECT count(*) FROM items WHERE v = id * 2");
        assertThat(doneBeforeTheKill).as("three batches committed").isPositive().isLessThan(20000);

        List<ApplyOutcome> outcomes = new Applier(ApplyTest.connector(db), smallBatches()).run(List.of(doubling),
                false);

        assertThat(outcomes.get(0).status()).isEqualTo(ApplyOutcome.Status.APPLIED);
        assertThat(outcomes.get(0).statements().get(0).how()).isEqualTo("rewritten (ZL030)");
        assertThat(db.queryLong("SELECT count(*) FROM items WHERE v <> id * 2")).as("every row doubled once").isZero();
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM zerolock.operation"))
                .isEqualTo("interrupted,done");
    }

    @PostgresTest(versions = 18)
    void a_backfill_pauses_while_a_transaction_is_too_old_and_goes_on_after(TestDatabase db) throws Exception {
        db.execute(TABLE);
        ApplyOptions patient = ApplyOptions.defaults().withThrottle(new Backfill.Throttle(Duration.ofMillis(50),
                Duration.ofSeconds(10), 1L << 30, Duration.ofSeconds(1)));
        CompletableFuture<List<ApplyOutcome>> applied;
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("SELECT count(*) FROM items");
            Await.until("the old transaction is older than the limit", () -> db.queryLong("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE xact_start < clock_timestamp() - interval '1.2 s' AND state LIKE 'idle "
                    + "in transaction%'") > 0);
            applied = CompletableFuture.supplyAsync(() -> new Applier(ApplyTest.connector(db), patient)
                    .run(List.of(ApplyTest.file("V2__double.sql", "UPDATE items SET v = v * 2;")), false));
            Await.until("the backfill says it paused", () -> {
                try {
                    return db.queryLong("SELECT count(*) FROM zerolock.step WHERE note LIKE 'paused: a transaction "
                            + "has been open%'") > 0;
                } catch (IllegalStateException journalNotMadeYet) {
                    return false;
                }
            });
            assertThat(db.queryLong("SELECT count(*) FROM items WHERE v = id * 2")).as("nothing while paused").isZero();
            statement.execute("COMMIT");
        }
        assertThat(applied.get().get(0).status()).isEqualTo(ApplyOutcome.Status.APPLIED);
        assertThat(db.queryLong("SELECT count(*) FROM items WHERE v <> id * 2")).isZero();
        assertThat(db.queryString("SELECT note FROM zerolock.step WHERE kind = 'backfill'")).contains("paused");
    }

    @PostgresTest(versions = 14)
    void a_table_without_an_integer_key_is_refused_with_the_reason(TestDatabase db) {
        db.execute("CREATE TABLE tags (name text PRIMARY KEY, uses int)", "INSERT INTO tags VALUES ('a', 1)");
        assertThatThrownBy(() -> new Applier(ApplyTest.connector(db), ApplyOptions.defaults())
                .run(List.of(ApplyTest.file("V2.sql", "UPDATE tags SET uses = 0;")), false))
                .isInstanceOf(ApplyRefused.class).hasMessageContaining("no single-column integer primary key");
        assertThat(db.queryLong("SELECT sum(uses) FROM tags")).isOne();
    }
}

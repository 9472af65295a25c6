package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.execute.Impact;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A session that queues behind the swap's lock is reported, with about the wait it really had. */
class ImpactReportTest {

    @PostgresTest
    void reports_a_session_queued_behind_the_swap_with_the_wait_it_had(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE parent (id int PRIMARY KEY)", "INSERT INTO parent SELECT generate_series(1, 1000)",
                "CREATE TABLE child (parent_id int REFERENCES parent)");
        try (Connection holder = db.connect(); Statement hold = holder.createStatement()) {
            hold.execute("BEGIN");
            // holds ACCESS SHARE without a snapshot: the build goes through, the swap must wait
            hold.execute("LOCK TABLE parent IN ACCESS SHARE MODE");
            CompletableFuture<List<ReindexOutcome>> run = CompletableFuture.supplyAsync(() -> new Reindexer(
                    Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP)
                            .withLocks(Duration.ofMillis(1000), 10)).run(ReindexRequest.indexes("parent_pkey"), false));
            awaitLockWait(db, "LOCK TABLE%");
            // an application query now queues behind zerolock's pending ACCESS EXCLUSIVE request
            long started = System.nanoTime();
            try (Connection app = db.connect(); Statement query = app.createStatement()) {
                query.execute("SELECT count(*) FROM parent");
            }
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            hold.execute("ROLLBACK");
            Impact impact = run.get(60, TimeUnit.SECONDS).get(0).impact();
            assertThat(waitedMillis).isGreaterThan(100);
            assertThat(impact.blockedSessions()).isGreaterThanOrEqualTo(1);
            assertThat(impact.step()).isEqualTo("swap");
            assertThat(impact.maxWaitMillis()).isBetween(waitedMillis - 350, waitedMillis + 150);
        }
    }

    private static void awaitLockWait(TestDatabase db, String query) {
        Await.untilQuery(db, "zerolock waits for its lock (" + query + ")", "SELECT count(*) > 0 FROM pg_stat_activity "
                + "WHERE wait_event_type = 'Lock' AND query LIKE '" + query + "'");
    }
}

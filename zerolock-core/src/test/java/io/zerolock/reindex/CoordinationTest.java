package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.execute.TableLock;
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

/** Two zerolock runs on one table: the second refuses, or waits and then works from the catalog as it is. */
class CoordinationTest {

    @PostgresTest
    void a_second_run_on_the_same_table_refuses_or_waits_and_the_result_is_correct(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE parent (id int PRIMARY KEY);
                INSERT INTO parent SELECT generate_series(1, 1000);
                CREATE TABLE child (parent_id int REFERENCES parent);
                CREATE TABLE other (id int PRIMARY KEY);
                """);
        List<String> before = CatalogFingerprint.of(db, "public");
        ReindexOptions swap = ReindexOptions.defaults().withStrategy(Strategy.SWAP);
        CompletableFuture<List<ReindexOutcome>> first;
        CompletableFuture<List<ReindexOutcome>> waiting;
        try (Connection old = db.connect(); Statement snapshot = old.createStatement()) {
            // an old snapshot keeps the first run's concurrent build (and so its table lock) busy
            snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            snapshot.execute("SELECT count(*) FROM other");
            first = CompletableFuture.supplyAsync(() -> new Reindexer(Databases.connector(db), swap)
                    .run(ReindexRequest.indexes("parent_pkey"), false));
            awaitAdvisoryLock(db);

            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), swap)
                    .run(ReindexRequest.indexes("parent_pkey"), false))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.OPERATION_FAILED))
                    .hasMessageContaining("another zerolock is working on table public.parent (pid ")
                    .hasMessageContaining("application_name zerolock")
                    .hasMessageContaining("nothing was changed");

            // another table is free: zerolock runs on different tables do not exclude each other
            long other = db.queryLong("SELECT 'other'::regclass::oid");
            try (Connection mine = db.connect(); TableLock lock = TableLock.acquire(mine, other,
                    QualifiedName.of("public", "other"), Duration.ZERO)) {
                // granted to this very session, keyed by the other table's OID in zerolock's namespace
                assertThat(db.queryLong("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.objid::bigint = " + other
                        + " AND l.classid::bigint = " + (lock.key() >>> 32) + " AND a.pid = "
                        + io.zerolock.execute.Monitor.backendPid(mine)))
                        .isOne();
            }

            waiting = CompletableFuture.supplyAsync(() -> new Reindexer(Databases.connector(db),
                    swap.withWait(Duration.ofSeconds(60))).run(ReindexRequest.indexes("parent_pkey"), false));
            // the second run polls for the lock: its catalog session asks who holds it, over and over
            Await.untilQuery(db, "the second run waits for the first", "SELECT count(*) > 0 FROM pg_stat_activity "
                    + "WHERE application_name = 'zerolock' AND query LIKE '%l.objsubid = 1%'");
            assertThat(waiting).isNotDone();
            snapshot.execute("ROLLBACK");
        }
        assertThat(first.get(60, TimeUnit.SECONDS).get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
        List<ReindexOutcome> second = waiting.get(60, TimeUnit.SECONDS);
        assertThat(second.get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
    }

    /** The first run holds the table's lock (not only its claim on its backend). */
    private static void awaitAdvisoryLock(TestDatabase db) {
        Await.untilQuery(db, "the first run took its table lock", "SELECT count(*) > 0 FROM pg_locks "
                + "WHERE locktype = 'advisory' AND granted AND objsubid = 1");
    }
}

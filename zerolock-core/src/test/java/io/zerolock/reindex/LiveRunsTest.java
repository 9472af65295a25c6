package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A run never treats another live run's work as an orphan, even on a table that run only validates. */
class LiveRunsTest {

    @PostgresTest
    void a_run_on_a_referencing_table_leaves_a_live_swaps_validation_alone(TestDatabase db) throws Exception {
        // enough rows that validating the foreign key takes a moment we can catch
        db.execute("""
                CREATE TABLE parent (id int PRIMARY KEY);
                INSERT INTO parent SELECT generate_series(1, 1000);
                CREATE TABLE child (id int PRIMARY KEY, parent_id int);
                INSERT INTO child SELECT g, 1 + g % 1000 FROM generate_series(1, 1500000) g;
                ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent;
                """);
        CompletableFuture<List<ReindexOutcome>> first = CompletableFuture.supplyAsync(() -> new Reindexer(
                Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP))
                .run(ReindexRequest.indexes("parent_pkey"), false));
        awaitValidation(db, first);

        // a second zerolock on the child table: before, it took the validation for an orphan and cancelled it
        assertThatThrownBy(() -> new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                .withStrategy(Strategy.SWAP)).run(ReindexRequest.indexes("child_pkey"), false))
                .hasMessageContaining("another zerolock is working on table public.child");

        assertThat(first.get(120, TimeUnit.SECONDS).get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
        assertThat(db.queryString("SELECT convalidated FROM pg_constraint WHERE conname = 'child_parent_fk'"))
                .isEqualTo("t");
    }

    private static void awaitValidation(TestDatabase db, CompletableFuture<?> run) {
        Await.until("the first run validates the foreign key", () -> {
            if (run.isDone()) {
                throw new AssertionError("the first run ended before its VALIDATE was seen");
            }
            return db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    + "AND query LIKE 'ALTER TABLE%VALIDATE CONSTRAINT%'") > 0;
        });
    }
}

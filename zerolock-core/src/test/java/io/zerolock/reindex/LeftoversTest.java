package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;

class LeftoversTest {

    @PostgresTest
    void a_retired_original_whose_drop_was_interrupted_is_dropped_before_the_next_rebuild(TestDatabase db) {
        db.execute("CREATE TABLE t (id int, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g",
                "CREATE INDEX t_v_original ON t (v)");
        long oid = db.queryLong("SELECT 't_v_original'::regclass::oid");
        // what a plain swap leaves when its final DROP INDEX CONCURRENTLY is interrupted
        db.execute("ALTER INDEX t_v_original RENAME TO zerolock_" + oid + "_old", "CREATE INDEX t_v ON t (v)");

        List<ReindexOutcome> outcomes = new Reindexer(Databases.connector(db),
                ReindexOptions.defaults().withStrategy(Strategy.SWAP)).run(new ReindexRequest(List.of(), "t", null),
                false);
        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.index().name()).isEqualTo("t_v");
            assertThat(outcome.plan().steps().get(0).statements())
                    .containsExactly("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"zerolock_" + oid + "_old\"");
        });
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_indexes WHERE tablename = 't'")).isOne();
    }

    @PostgresTest(versions = 18)
    void an_index_merely_named_like_a_retired_one_is_left_alone(TestDatabase db) {
        db.execute("CREATE TABLE t (id int, v int)", "CREATE INDEX t_v ON t (v)",
                "CREATE INDEX zerolock_1_old ON t (id)");
        List<ReindexOutcome> outcomes = new Reindexer(Databases.connector(db),
                ReindexOptions.defaults().withStrategy(Strategy.SWAP)).run(ReindexRequest.indexes("t_v"), false);
        assertThat(outcomes.get(0).plan().steps().get(0).name()).isEqualTo("build");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'zerolock_1_old'")).isOne();
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.execute.Executor;
import io.zerolock.plan.Step;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * The run stops dead after each step of each plan (as if killed); the next run of the same target leaves
 * the catalog exactly as one clean run would, with nothing extra and no application row lost.
 */
class HaltAtEveryStepTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY, v int);
            INSERT INTO parent SELECT g, g FROM generate_series(1, 2000) g;
            CREATE INDEX parent_v ON parent (v);
            COMMENT ON INDEX parent_v IS 'kept';
            CREATE TABLE child (parent_id int REFERENCES parent ON DELETE CASCADE);
            INSERT INTO child SELECT generate_series(1, 2000);
            CREATE TABLE legacy (parent_id int);
            ALTER TABLE legacy ADD CONSTRAINT legacy_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
            """;

    @PostgresTest
    void the_next_run_after_a_halt_at_any_step_ends_like_a_clean_run(TestDatabase db) {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        long rows = db.queryLong("SELECT count(*) FROM child");
        SoftAssertions softly = new SoftAssertions();
        for (Strategy strategy : Strategy.values()) {
            if (strategy == Strategy.NATIVE && db.majorVersion() < 12) {
                continue;
            }
            for (String index : List.of("parent_pkey", "parent_v")) {
                ReindexOptions options = ReindexOptions.defaults().withStrategy(strategy);
                List<String> steps = new Reindexer(Databases.connector(db), options)
                        .run(ReindexRequest.indexes(index), true).get(0).plan().steps().stream().map(Step::name)
                        .toList();
                for (String step : steps) {
                    String label = strategy.id() + " / " + index + " / halted after " + step + " / PG "
                            + db.majorVersion();
                    System.setProperty(Executor.HALT_AFTER_STEP, step);
                    try {
                        assertThatThrownBy(() -> new Reindexer(Databases.connector(db), options)
                                .run(ReindexRequest.indexes(index), false))
                                .as(label).isInstanceOf(Executor.HaltedForTest.class);
                    } finally {
                        System.clearProperty(Executor.HALT_AFTER_STEP);
                    }
                    try {
                        new Reindexer(Databases.connector(db), options).run(ReindexRequest.indexes(index), false);
                    } catch (RuntimeException e) {
                        softly.fail(label + ": the next run failed: " + e.getMessage());
                        continue;
                    }
                    softly.assertThat(CatalogFingerprint.of(db, "public")).as(label).containsExactlyElementsOf(clean);
                    softly.assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' "
                            + "OR relname LIKE '%\\_cc%'")).as(label + ": nothing extra").isZero();
                    softly.assertThat(db.queryLong("SELECT count(*) FROM child")).as(label + ": rows").isEqualTo(rows);
                }
            }
        }
        softly.assertAll();
    }
}

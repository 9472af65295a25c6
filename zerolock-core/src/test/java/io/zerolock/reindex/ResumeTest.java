package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.execute.Executor;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;

/** A swap that committed, then the run died before validating: the foreign keys are validated later. */
class ResumeTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY);
            INSERT INTO parent SELECT generate_series(1, 1000);
            CREATE TABLE child (parent_id int REFERENCES parent);
            INSERT INTO child SELECT generate_series(1, 1000);
            CREATE TABLE legacy (parent_id int);
            ALTER TABLE legacy ADD CONSTRAINT legacy_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
            """;

    @PostgresTest
    void the_next_reindex_of_the_same_index_validates_what_the_dead_run_left(TestDatabase db) {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        dieAfterTheSwap(db);
        assertThat(validated(db, "child_parent_id_fkey")).isFalse();
        assertThat(db.queryString("SELECT outcome FROM zerolock.operation")).isEqualTo("running");

        new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP))
                .run(ReindexRequest.indexes("parent_pkey"), false);
        assertThat(validated(db, "child_parent_id_fkey")).isTrue();
        assertThat(validated(db, "legacy_fk")).as("NOT VALID before, so NOT VALID after").isFalse();
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM zerolock.operation"))
                .isEqualTo("done,done");
    }

    @PostgresTest(versions = 18)
    void resume_finishes_every_interrupted_run_and_creates_nothing_without_a_journal(TestDatabase db) {
        db.execute(SCHEMA);
        Reindexer resumer = new Reindexer(Databases.connector(db), ReindexOptions.defaults());
        assertThat(resumer.resumeAll()).isEmpty();
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();

        List<String> before = CatalogFingerprint.of(db, "public");
        dieAfterTheSwap(db);
        assertThat(resumer.resumeAll()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("public.parent_pkey: validated 1 foreign key");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(resumer.resumeAll()).isEmpty();
        assertThat(db.queryString("SELECT outcome FROM zerolock.operation")).isEqualTo("done");
    }

    @PostgresTest
    void resume_undoes_a_run_that_died_mid_build_and_every_operation_gets_a_final_outcome(TestDatabase db)
            throws Exception {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        for (Strategy strategy : db.majorVersion() < 12 ? List.of(Strategy.SWAP) : List.of(Strategy.SWAP,
                Strategy.NATIVE)) {
            String step = strategy == Strategy.SWAP ? "build" : "reindex";
            System.setProperty(Executor.HALT_AFTER_STEP, step);
            try {
                assertThatThrownBy(() -> new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                        .withStrategy(strategy)).run(ReindexRequest.indexes("parent_pkey"), false))
                        .isInstanceOf(Executor.HaltedForTest.class);
            } finally {
                System.clearProperty(Executor.HALT_AFTER_STEP);
            }
            if (strategy == Strategy.SWAP) {
                assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%\\_new'"))
                        .as("the dead run's twin").isOne();
            }
            awaitNoZerolockBackend(db);
            List<String> resumed = new Reindexer(Databases.connector(db), ReindexOptions.defaults()).resumeAll();
            assertThat(resumed).as(strategy.id()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("public.parent_pkey: operation").contains(strategy == Strategy.SWAP
                            ? "interrupted: the run died at step swap; dropped what it left: public.zerolock_"
                            : "done: every step had finished");
            assertThat(db.queryLong("SELECT count(*) FROM zerolock.operation WHERE outcome = 'running'")).isZero();
            assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' "
                    + "OR relname LIKE '%\\_cc%'")).as("nothing left").isZero();
            assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        }
    }

    /** A closed connection's backend leaves pg_stat_activity a moment later: wait for that. */
    private static void awaitNoZerolockBackend(TestDatabase db) {
        Await.untilQuery(db, "zerolock's backends are gone", "SELECT count(*) = 0 FROM pg_stat_activity "
                + "WHERE application_name = 'zerolock'");
    }

    private static void dieAfterTheSwap(TestDatabase db) {
        System.setProperty(Executor.HALT_AFTER_STEP, "swap");
        try {
            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                    .withStrategy(Strategy.SWAP)).run(ReindexRequest.indexes("parent_pkey"), false))
                    .isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
    }

    private static boolean validated(TestDatabase db, String constraint) {
        return Boolean.parseBoolean(db.queryString("SELECT convalidated FROM pg_constraint WHERE conname = '"
                + constraint + "'").equals("t") ? "true" : "false");
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import io.zerolock.testing.Traffic;
import java.util.List;

/** Writers and readers run throughout a rebuild of a referenced primary key: nothing fails, nothing is lost. */
class ReindexUnderTrafficTest {

    @PostgresTest
    void no_application_statement_fails_and_no_row_is_lost(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE parent (id int PRIMARY KEY, touched int NOT NULL DEFAULT 0);
                INSERT INTO parent (id) SELECT generate_series(1, 20000);
                CREATE TABLE child (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent);
                CREATE INDEX child_parent ON child (parent_id);
                """);
        List<String> before = CatalogFingerprint.of(db, "public");
        for (Strategy strategy : Strategy.values()) {
            if (strategy == Strategy.NATIVE && db.majorVersion() < 12) {
                continue;
            }
            long childrenBefore = db.queryLong("SELECT count(*) FROM child");
            List<ReindexOutcome> outcomes;
            long writesDuring;
            long readsDuring;
            List<String> failures;
            long inserted;
            try (Traffic traffic = Traffic.start(db, 3, 20000)) {
                long writesBefore = traffic.inserted();
                long readsBefore = traffic.reads();
                outcomes = new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(strategy))
                        .run(ReindexRequest.indexes("parent_pkey"), false);
                writesDuring = traffic.inserted() - writesBefore;
                readsDuring = traffic.reads() - readsBefore;
                traffic.awaitMoreWrites();
                traffic.stop();
                failures = traffic.failures();
                inserted = traffic.inserted();
            }
            assertThat(outcomes.get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
            assertThat(failures).as(strategy.id()).isEmpty();
            assertThat(writesDuring).as(strategy.id() + ": writes committed while the rebuild ran").isPositive();
            assertThat(readsDuring).as(strategy.id() + ": reads while the rebuild ran").isPositive();
            assertThat(db.queryLong("SELECT count(*) FROM child")).isEqualTo(childrenBefore + inserted);
            assertThat(db.queryLong("SELECT count(*) FROM child c LEFT JOIN parent p ON p.id = c.parent_id "
                    + "WHERE p.id IS NULL")).isZero();
            assertThat(CatalogFingerprint.of(db, "public")).as(strategy.id()).containsExactlyElementsOf(before);
        }
    }
}

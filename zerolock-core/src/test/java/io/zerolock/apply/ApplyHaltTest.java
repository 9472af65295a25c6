package io.zerolock.apply;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.execute.Executor;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import org.assertj.core.api.SoftAssertions;

/**
 * An apply stops dead after each step of each rewrite (as if killed); the next apply of the same file
 * finishes it: no step that finished runs twice, and the catalog ends as psql's run of the file leaves it.
 */
class ApplyHaltTest {

    @PostgresTest
    void the_next_apply_after_a_halt_at_any_step_ends_like_psql(TestDatabase db) {
        String migration = ApplyTest.featureMigration(db.majorVersion());
        TestDatabase asWritten = db.sibling();
        asWritten.execute(ApplyTest.SCHEMA, migration);
        List<String> expected = CatalogFingerprint.of(asWritten, "public");
        MigrationFile file = ApplyTest.file("V2__feature.sql", migration);

        TestDatabase planned = db.sibling();
        planned.execute(ApplyTest.SCHEMA);
        List<String> steps = new Applier(ApplyTest.connector(planned), ApplyOptions.defaults())
                .run(List.of(file), true).get(0).statements().stream()
                .flatMap(statement -> statement.steps().stream()).map(ApplyOutcome.StepOutcome::name).toList();

        SoftAssertions softly = new SoftAssertions();
        for (String step : steps) {
            String label = "halted after " + step + " / PG " + db.majorVersion();
            TestDatabase target = db.sibling();
            target.execute(ApplyTest.SCHEMA);
            System.setProperty(Executor.HALT_AFTER_STEP, step);
            try {
                assertThatThrownBy(() -> new Applier(ApplyTest.connector(target), ApplyOptions.defaults())
                        .run(List.of(file), false)).as(label).isInstanceOf(Executor.HaltedForTest.class);
            } finally {
                System.clearProperty(Executor.HALT_AFTER_STEP);
            }
            try {
                new Applier(ApplyTest.connector(target), ApplyOptions.defaults()).run(List.of(file), false);
            } catch (RuntimeException e) {
                softly.fail(label + ": the next apply failed: " + e.getMessage());
                continue;
            }
            softly.assertThat(CatalogFingerprint.of(target, "public")).as(label).containsExactlyElementsOf(expected);
            softly.assertThat(target.queryLong("SELECT count(*) FROM zerolock.applied_migration")).as(label).isOne();
            softly.assertThat(target.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM zerolock.operation"))
                    .as(label + ": the halted run is finished by the next").isEqualTo("interrupted,done");
        }
        softly.assertAll();
    }
}

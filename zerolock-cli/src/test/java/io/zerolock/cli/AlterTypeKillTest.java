package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import io.zerolock.testing.Traffic;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * {@code zerolock alter-type} in a process of its own, killed with SIGKILL in the middle of a concurrent
 * build and at random moments while an application writes and reads the table, then run again and
 * finished: the catalog ends as a plain ALTER leaves it (but for the column's position), every row keeps
 * its value, no index is left invalid, and no application statement failed.
 */
class AlterTypeKillTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id serial PRIMARY KEY, touched int NOT NULL DEFAULT 0);
            INSERT INTO parent (touched) SELECT 0 FROM generate_series(1, 20000);
            CREATE TABLE child (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent);
            INSERT INTO child (parent_id) SELECT 1 + g % 20000 FROM generate_series(1, 200000) g;
            CREATE INDEX parent_touched ON parent (id) WHERE touched > 0;
            """;

    @PostgresTest(versions = {14, 18})
    void a_type_change_killed_anywhere_under_load_is_finished_by_the_next_run(TestDatabase db) throws Exception {
        TestDatabase plain = db.sibling();
        plain.execute(SCHEMA, "ALTER TABLE parent ALTER COLUMN id TYPE bigint",
                "ALTER SEQUENCE parent_id_seq AS bigint");
        List<String> expected = fingerprint(plain);

        TestDatabase timed = db.sibling();
        timed.execute(SCHEMA);
        long started = System.nanoTime();
        assertThat(alterType(timed).waitFor()).as("a clean run in a process of its own").isZero();
        long cleanRunMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        String version = "PG " + db.majorVersion();
        killedThenFinished(db, expected, softly, version + " / killed mid-build", target -> {
            // an old snapshot stalls the concurrent build: it is killed while it waits
            Cli.killMidBuild(target, "alter-type", () -> alterType(target));
            Cli resume = Cli.run("resume", "-d", CommandLineTest.uri(target));
            assertThat(resume.exitCode()).as(resume.all()).isZero();
            assertThat(resume.out()).contains("public.parent.id: type change").contains("died before its swap");
        });
        for (int i = 0; i < 2; i++) {
            long delay = cleanRunMillis / 4 + (long) (random.nextDouble() * cleanRunMillis * 3 / 4);
            killedThenFinished(db, expected, softly, version + " / killed after " + delay + " ms of " + cleanRunMillis
                    + " (seed " + seed + ")", target -> {
                        Process process = alterType(target);
                        if (!process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                            process.destroyForcibly().waitFor();
                        }
                    });
        }
        softly.assertAll();
    }

    @FunctionalInterface
    private interface Kill {
        void on(TestDatabase target) throws Exception;
    }

    /** On a fresh copy under traffic: the kill, then the same command again, then --finish; then the checks. */
    private static void killedThenFinished(TestDatabase db, List<String> expected, SoftAssertions softly,
            String label, Kill kill) throws Exception {
        TestDatabase target = db.sibling();
        target.execute(SCHEMA);
        long childrenBefore = target.queryLong("SELECT count(*) FROM child");
        Cli again;
        long inserted;
        List<String> failures;
        try (Traffic traffic = Traffic.start(target, 2, 20000)) {
            kill.on(target);
            again = Cli.run("alter-type", "-d", CommandLineTest.uri(target), "public.parent.id", "bigint",
                    "--lock-timeout", "500ms", "--lock-retries", "50");
            traffic.stop();
            inserted = traffic.inserted();
            failures = traffic.failures();
        }
        softly.assertThat(again.exitCode()).as(label + ": the next run\n" + again.err()).isZero();
        softly.assertThat(target.queryLong("SELECT count(*) FROM parent WHERE id IS DISTINCT FROM id_retired"))
                .as(label + ": every row keeps its value").isZero();
        Cli finish = Cli.run("alter-type", "-d", CommandLineTest.uri(target), "public.parent.id", "--finish");
        softly.assertThat(finish.exitCode()).as(label + ": --finish\n" + finish.err()).isZero();
        softly.assertThat(fingerprint(target)).as(label).containsExactlyElementsOf(expected);
        softly.assertThat(target.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid"))
                .as(label + ": no invalid index").isZero();
        softly.assertThat(target.queryLong("SELECT count(*) FROM pg_constraint WHERE NOT convalidated"))
                .as(label + ": no constraint left NOT VALID").isZero();
        softly.assertThat(target.queryLong("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'zerolock%'"))
                .as(label + ": no trigger left").isZero();
        softly.assertThat(target.queryLong("SELECT count(*) FROM child")).as(label + ": rows")
                .isEqualTo(childrenBefore + inserted);
        softly.assertThat(failures).as(label + ": application statements").isEmpty();
    }

    /** The fingerprint without column positions (the new column comes last) or the traffic's counters. */
    private static List<String> fingerprint(TestDatabase db) {
        return CatalogFingerprint.of(db, "public").stream().map(line -> line.replaceFirst(" #\\d+ ", " ")).sorted()
                .toList();
    }

    /** {@code zerolock alter-type public.parent.id bigint} in a new JVM, its output discarded. */
    private static Process alterType(TestDatabase db) throws Exception {
        return Cli.start("alter-type-kill-child.log", "alter-type", "-d", CommandLineTest.uri(db), "public.parent.id",
                "bigint", "--lock-timeout", "500ms", "--lock-retries", "50");
    }
}

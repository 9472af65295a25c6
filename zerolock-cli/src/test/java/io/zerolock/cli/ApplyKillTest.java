package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import io.zerolock.testing.Traffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * {@code zerolock apply} in a process of its own, killed with SIGKILL in the middle of a concurrent build
 * and at random moments, while an application writes and reads the tables it changes; then run again.
 * The catalog ends as psql's run of the file leaves it, with no invalid index, the file recorded once, and
 * no application statement failed.
 */
class ApplyKillTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int NOT NULL, touched int NOT NULL DEFAULT 0, code text, region text);
            INSERT INTO parent (id, code, region) SELECT g, 'p' || g, 'eu' FROM generate_series(1, 20000) g;
            CREATE TABLE child (id bigserial NOT NULL, parent_id int NOT NULL, amount int NOT NULL DEFAULT 1);
            INSERT INTO child (parent_id) SELECT 1 + g % 20000 FROM generate_series(1, 200000) g;
            """;

    private static String migration(int major) {
        return """
                ALTER TABLE parent ADD PRIMARY KEY (id);
                CREATE INDEX child_parent ON child (parent_id);
                ALTER TABLE parent ADD CONSTRAINT parent_code_key UNIQUE (code);
                ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);
                ALTER TABLE child ADD CONSTRAINT child_amount_positive CHECK (amount > 0);
                """ + (major >= 12 ? "ALTER TABLE parent ALTER COLUMN region SET NOT NULL;\n" : "");
    }

    @PostgresTest
    void an_apply_killed_anywhere_under_load_is_finished_by_the_next(TestDatabase db) throws Exception {
        Path file = Files.createDirectories(Path.of("target", "apply-kill-" + db.majorVersion()))
                .resolve("V2__keys.sql");
        Files.writeString(file, migration(db.majorVersion()));
        TestDatabase asWritten = db.sibling();
        asWritten.execute(SCHEMA, migration(db.majorVersion()));
        List<String> expected = CatalogFingerprint.of(asWritten, "public");

        TestDatabase timed = db.sibling();
        timed.execute(SCHEMA);
        long started = System.nanoTime();
        assertThat(apply(timed, file).waitFor()).as("a clean run in a process of its own").isZero();
        long cleanRunMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        String version = "PG " + db.majorVersion();
        killedThenFinished(db, file, expected, softly, version + " / killed mid-build", target -> {
            // an old snapshot stalls the concurrent build: it is killed while it waits
            Cli.killMidBuild(target, "apply", () -> apply(target, file));
            // without the files, resume repairs what it can and says the next apply finishes the file
            Cli resume = Cli.run("resume", "-d", CommandLineTest.uri(target));
            assertThat(resume.exitCode()).as(resume.all()).isZero();
            assertThat(resume.out()).contains("V2__keys.sql: apply operation").contains("interrupted")
                    .contains("the next zerolock apply of the same files finishes V2__keys.sql");
        });
        for (int i = 0; i < 2; i++) {
            long delay = cleanRunMillis / 4 + (long) (random.nextDouble() * cleanRunMillis * 3 / 4);
            killedThenFinished(db, file, expected, softly, version + " / killed after " + delay + " ms of "
                    + cleanRunMillis + " (seed " + seed + ")", target -> {
                        Process process = apply(target, file);
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

    /** On a fresh copy under traffic: the kill, then a run in-process; then the checks. */
    private static void killedThenFinished(TestDatabase db, Path file, List<String> expected, SoftAssertions softly,
            String label, Kill kill) throws Exception {
        TestDatabase target = db.sibling();
        target.execute(SCHEMA);
        long childrenBefore = target.queryLong("SELECT count(*) FROM child");
        Cli again;
        long inserted;
        List<String> failures;
        try (Traffic traffic = Traffic.start(target, 2, 20000)) {
            kill.on(target);
            again = Cli.run("apply", "-d", CommandLineTest.uri(target), file.toString(), "--lock-timeout", "500ms",
                    "--lock-retries", "50");
            traffic.stop();
            inserted = traffic.inserted();
            failures = traffic.failures();
        }
        softly.assertThat(again.exitCode()).as(label + ": the next run\n" + again.err()).isZero();
        softly.assertThat(CatalogFingerprint.of(target, "public")).as(label).containsExactlyElementsOf(expected);
        softly.assertThat(target.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid"))
                .as(label + ": no invalid index").isZero();
        softly.assertThat(target.queryLong("SELECT count(*) FROM zerolock.applied_migration")).as(label).isOne();
        softly.assertThat(target.queryLong("SELECT count(*) FROM child")).as(label + ": rows")
                .isEqualTo(childrenBefore + inserted);
        softly.assertThat(failures).as(label + ": application statements").isEmpty();
    }

    /** {@code zerolock apply FILE} in a new JVM, its output discarded. */
    private static Process apply(TestDatabase db, Path file) throws Exception {
        return Cli.start("apply-kill-child.log", "apply", "-d", CommandLineTest.uri(db), file.toString(),
                "--lock-timeout", "500ms", "--lock-retries", "50");
    }
}

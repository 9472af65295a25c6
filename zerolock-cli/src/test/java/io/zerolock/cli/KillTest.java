package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * {@code zerolock reindex} in a process of its own, killed with SIGKILL in the middle of the build, in
 * the middle of the swap, and at random moments; then run again. The database ends exactly as one clean
 * run leaves it.
 */
class KillTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY, v int);
            INSERT INTO parent SELECT g, g FROM generate_series(1, 200000) g;
            CREATE TABLE child (parent_id int REFERENCES parent ON DELETE CASCADE);
            INSERT INTO child SELECT generate_series(1, 200000, 10);
            CREATE TABLE legacy (parent_id int);
            ALTER TABLE legacy ADD CONSTRAINT legacy_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
            """;

    @PostgresTest
    void a_run_killed_anywhere_is_finished_by_the_next(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        SoftAssertions softly = new SoftAssertions();
        for (String strategy : db.majorVersion() < 12 ? List.of("swap") : List.of("swap", "native")) {
            long started = System.nanoTime();
            assertThat(zerolock(db, strategy).waitFor()).as("a clean run in a process of its own").isZero();
            long cleanRunMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            softly.assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(clean);

            String label = strategy + " / PG " + db.majorVersion();
            killWhileRunning(db, strategy, "SELECT count(*) FROM legacy",
                    "^(CREATE (UNIQUE )?INDEX CONCURRENTLY|REINDEX INDEX CONCURRENTLY)");
            runAgainAndCompare(db, strategy, clean, softly, label + " / killed mid-build");
            if (strategy.equals("swap")) {
                killWhileRunning(db, strategy, "LOCK TABLE parent IN ACCESS SHARE MODE", "^LOCK TABLE");
                runAgainAndCompare(db, strategy, clean, softly, label + " / killed mid-swap");
            }
            for (int i = 0; i < 2; i++) {
                long delay = cleanRunMillis / 3 + (long) (random.nextDouble() * cleanRunMillis * 2 / 3);
                Process process = zerolock(db, strategy);
                if (process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    continue; // it finished first: nothing to repair, and the next kill tries again
                }
                process.destroyForcibly().waitFor();
                runAgainAndCompare(db, strategy, clean, softly, label + " / killed after " + delay + " ms of "
                        + cleanRunMillis + " (seed " + seed + ")");
            }
        }
        softly.assertAll();
    }

    /**
     * Holds zerolock up with {@code hold} (an old snapshot stalls a concurrent build, a share lock stalls
     * the swap), kills it once its backend runs a statement matching {@code statement}, then lets go.
     */
    private static void killWhileRunning(TestDatabase db, String strategy, String hold, String statement)
            throws Exception {
        try (Connection holder = db.connect(); Statement holding = holder.createStatement()) {
            holding.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holding.execute(hold);
            Process process = zerolock(db, strategy);
            try {
                awaitStatement(db, statement, process);
            } finally {
                process.destroyForcibly().waitFor();
            }
            holding.execute("ROLLBACK");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runAgainAndCompare(TestDatabase db, String strategy, List<String> clean,
            SoftAssertions softly, String label) {
        Cli again = Cli.run("reindex", "-d", CommandLineTest.uri(db), "parent_pkey", "--strategy", strategy);
        softly.assertThat(again.exitCode()).as(label + ": the next run\n" + again.err()).isZero();
        softly.assertThat(CatalogFingerprint.of(db, "public")).as(label).containsExactlyElementsOf(clean);
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' "
                + "OR relname LIKE '%\\_cc%'")).as(label + ": nothing extra").isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM child")).as(label + ": rows").isEqualTo(20000);
    }

    /** {@code zerolock reindex parent_pkey} in a new JVM, its output discarded. */
    private static Process zerolock(TestDatabase db, String strategy) throws Exception {
        return Cli.start("kill-test-child.log", "reindex", "-d", CommandLineTest.uri(db), "parent_pkey", "--strategy",
                strategy, "--lock-timeout", "500ms", "--lock-retries", "50");
    }

    private static void awaitStatement(TestDatabase db, String statement, Process process) {
        Await.until("zerolock runs " + statement, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("zerolock ended (exit " + process.exitValue() + ") before it ran "
                        + statement + "; see target/kill-test-child.log");
            }
            return db.queryString("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'zerolock' AND state = 'active' AND query ~* '" + statement + "'") != null;
        });
    }
}

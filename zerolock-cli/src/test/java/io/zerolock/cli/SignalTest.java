package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code zerolock reindex} in a process of its own, sent SIGINT or SIGTERM in the middle of a build: it
 * says what it was doing, cancels its statement, undoes, journals, and exits 130 or 143. A second Ctrl-C
 * leaves at once, saying the next run repairs what is left, and the next run does.
 */
class SignalTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY, v int);
            INSERT INTO parent SELECT g, g FROM generate_series(1, 20000) g;
            CREATE TABLE child (parent_id int REFERENCES parent);
            CREATE TABLE other (id int);
            """;

    @PostgresTest
    void a_signal_mid_build_cancels_undoes_journals_and_exits_130_or_143(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"swap", "INT", "130"});
        cases.add(new String[] {"swap", "TERM", "143"});
        if (db.majorVersion() >= 12) {
            cases.add(new String[] {"native", "INT", "130"});
        }
        for (String[] each : cases) {
            String label = each[0] + " / SIG" + each[1] + " / PG " + db.majorVersion();
            Path log = Files.createTempFile("zerolock-signal", ".log");
            try (Connection old = db.connect(); Statement snapshot = old.createStatement()) {
                snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
                snapshot.execute("SELECT count(*) FROM other"); // the build waits for this snapshot
                Process process = zerolock(db, each[0], log);
                awaitStatement(db, "^(CREATE UNIQUE INDEX CONCURRENTLY|REINDEX INDEX CONCURRENTLY)", process, log);
                signal(process, each[1]);
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(label + ": ended").isTrue();
                snapshot.execute("ROLLBACK");
                String err = Files.readString(log);
                assertThat(process.exitValue()).as(label + "\n" + err).isEqualTo(Integer.parseInt(each[2]));
                assertThat(err).as(label).contains("stopping: cancelling the running statement")
                        .contains("doing=\"step " + (each[0].equals("swap") ? "build" : "reindex"))
                        .contains("stopped by SIG" + each[1] + " during step")
                        .contains(each[0].equals("swap") ? "undone: DROP INDEX CONCURRENTLY"
                                : "dropped what it left behind");
            }
            assertThat(db.queryString("SELECT outcome FROM zerolock.operation ORDER BY id DESC LIMIT 1"))
                    .as(label + ": journaled").isEqualTo("interrupted");
            assertThat(leftovers(db)).as(label + ": nothing left").isZero();
            assertThat(CatalogFingerprint.of(db, "public")).as(label).containsExactlyElementsOf(clean);
        }
    }

    @PostgresTest(versions = 18)
    void a_second_ctrl_c_leaves_at_once_and_the_next_run_repairs_what_is_left(TestDatabase db) throws Exception {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        Path log = Files.createTempFile("zerolock-signal", ".log");
        try (Connection old = db.connect(); Statement holder = old.createStatement()) {
            holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            holder.execute("SELECT count(*) FROM other"); // stalls the build
            holder.execute("LOCK TABLE parent IN ACCESS SHARE MODE"); // and then the undo's DROP INDEX CONCURRENTLY
            Process process = zerolock(db, "swap", log);
            awaitStatement(db, "^CREATE UNIQUE INDEX CONCURRENTLY", process, log);
            signal(process, "INT");
            awaitStatement(db, "^DROP INDEX CONCURRENTLY", process, log);
            signal(process, "INT");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(log);
            assertThat(process.exitValue()).as(err).isEqualTo(130);
            assertThat(err).contains("leaving now, without finishing the undo")
                    .contains("zerolock resume, repairs what is left");
            holder.execute("ROLLBACK");
        }
        Cli resume = Cli.run("resume", "-d", CommandLineTest.uri(db));
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("Finished what interrupted runs left");
        assertThat(leftovers(db)).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.operation WHERE outcome = 'running'")).isZero();
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(clean);
    }

    private static long leftovers(TestDatabase db) {
        return db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' OR relname LIKE '%\\_cc%'");
    }

    private static Process zerolock(TestDatabase db, String strategy, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("surefire.test.class.path",
                        System.getProperty("java.class.path")), Main.class.getName()));
        command.addAll(List.of("reindex", "-d", CommandLineTest.uri(db), "parent_pkey", "--strategy", strategy,
                "--lock-timeout", "500ms"));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        assertThat(kill.waitFor()).as("kill -" + name).isZero();
    }

    /** Waits until zerolock's backend runs a statement matching {@code statement}. */
    private static void awaitStatement(TestDatabase db, String statement, Process process, Path log) {
        Await.until("zerolock runs " + statement, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("zerolock ended (exit " + process.exitValue() + ") before it ran "
                        + statement + ":\n" + Files.readString(log));
            }
            return db.queryString("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'zerolock' AND state = 'active' AND query ~* '" + statement + "'") != null;
        });
    }
}

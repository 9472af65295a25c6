package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/** An idle-in-transaction session with an old snapshot: named, then our build is cancelled and cleaned up. */
class WatchdogTest {

    @PostgresTest
    void names_the_session_a_build_waits_for_and_cancels_past_max_wait_leaving_nothing(TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g",
                "CREATE INDEX t_v ON t (v)", "CREATE TABLE elsewhere (id int)");
        List<String> before = CatalogFingerprint.of(db, "public");
        for (String strategy : db.majorVersion() >= 12 ? List.of("native", "swap") : List.of("swap")) {
            try (Connection idle = db.connect(); Statement statement = idle.createStatement()) {
                statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
                statement.execute("SELECT count(*) FROM elsewhere"); // an old snapshot, then idle in transaction
                long pid = db.queryLong("SELECT pid FROM pg_stat_activity WHERE state = 'idle in transaction' "
                        + "AND query LIKE '%elsewhere%'");

                Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "t_v", "--strategy", strategy,
                        "--warn-after", "1s", "--max-wait", "3s");
                assertThat(cli.exitCode()).as(strategy + ": " + cli.err()).isEqualTo(1);
                assertThat(cli.err()).contains("msg=\"the build waits for another session (old snapshot or lock)\"")
                        .contains("pid=" + pid + " application_name=")
                        .contains("state=\\\"idle in transaction\\\"")
                        .contains("cancelled by the watchdog: the build waited")
                        .contains("--max-wait 3 s");
                statement.execute("ROLLBACK");
            }
            assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%' "
                    + "OR relname LIKE '%\\_ccnew%'")).as(strategy).isZero();
            assertThat(CatalogFingerprint.of(db, "public")).as(strategy).containsExactlyElementsOf(before);
        }
    }

    @PostgresTest(versions = 18)
    void refuses_to_start_while_a_transaction_older_than_max_xact_age_is_open(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (Connection idle = db.connect(); Statement statement = idle.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("SELECT txid_current()");
            io.zerolock.testing.Await.untilQuery(db, "the transaction is older than a second", "SELECT bool_or("
                    + "clock_timestamp() - xact_start > interval '1.1 s') FROM pg_stat_activity "
                    + "WHERE state = 'idle in transaction'");
            Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "t_pkey", "--max-xact-age", "1s");
            assertThat(cli.exitCode()).isEqualTo(2);
            assertThat(cli.err()).contains("transactions older than --max-xact-age 1s are open")
                    .contains("state=\\\"idle in transaction\\\"");
            statement.execute("ROLLBACK");
        }
    }
}

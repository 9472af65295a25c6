package io.zerolock.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.embedded.EmbeddedPostgresServer;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gate's signals, each produced for real on a real server. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GateTest {

    @PostgresTest
    void says_go_on_a_healthy_server(TestDatabase db) throws Exception {
        try (Connection connection = db.connect()) {
            Decision decision = new Gate(GateLimits.defaults()).check(connection, Gate.Request.server());
            assertThat(decision.verdict()).as(decision.reasons()).isEqualTo(Verdict.GO);
        }
    }

    @PostgresTest
    void waits_for_a_transaction_held_open_longer_than_the_limit_and_names_it(TestDatabase db) throws Exception {
        Gate gate = new Gate(GateLimits.defaults().withMaxTransactionAge(Duration.ofSeconds(1)));
        try (Connection old = db.connect(); Statement holder = old.createStatement();
                Connection connection = db.connect()) {
            old.setAutoCommit(false);
            holder.execute("SELECT txid_current()");
            int pid = pid(old);
            Await.until("the transaction is older than a second", () -> !gate.check(connection,
                    Gate.Request.server()).go());
            Decision decision = gate.check(connection, Gate.Request.server());
            assertThat(decision.verdict()).isEqualTo(Verdict.WAIT);
            assertThat(decision.signals()).extracting(Signal::name).containsExactly("old_transaction");
            assertThat(decision.reasons()).contains("pid " + pid).contains("--max-xact-age 1 s");
            old.rollback();
            assertThat(gate.check(connection, Gate.Request.server()).verdict()).isEqualTo(Verdict.GO);
        }
    }

    @PostgresTest
    void waits_while_a_replication_slot_holds_back_more_wal_than_the_limit(TestDatabase db) throws Exception {
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            sql.execute("SELECT pg_create_physical_replication_slot('zerolock_test_slot', true)");
            try {
                // the slot starts at the last checkpoint: the limit is 4 MB more than it holds already
                long held = ServerHealth.read(connection, null).retainingSlot().orElseThrow().bytes();
                long limit = held + (4L << 20);
                Gate gate = new Gate(GateLimits.defaults().withWal(limit, 64));
                assertThat(gate.check(connection, Gate.Request.server()).verdict()).isEqualTo(Verdict.GO);
                sql.execute("CREATE TABLE wal_maker AS SELECT g, md5(g::text) FROM generate_series(1, 200000) g");
                Decision decision = gate.check(connection, Gate.Request.server());
                assertThat(decision.verdict()).as(decision.reasons()).isEqualTo(Verdict.WAIT);
                assertThat(decision.reasons()).contains("replication slot zerolock_test_slot (inactive) holds back")
                        .contains("--max-retained-wal " + io.zerolock.Sizes.pretty(limit));
            } finally {
                sql.execute("SELECT pg_drop_replication_slot('zerolock_test_slot')");
            }
            Decision after = new Gate(GateLimits.defaults()).check(connection, Gate.Request.server());
            assertThat(after.signals()).extracting(Signal::name).doesNotContain("retained_wal");
        }
    }

    @PostgresTest(versions = {14})
    void skips_an_operation_bigger_than_the_disk_budget(TestDatabase db) throws Exception {
        Gate gate = new Gate(GateLimits.defaults().withDiskBudget(10L << 20));
        try (Connection connection = db.connect()) {
            assertThat(gate.check(connection, new Gate.Request(null, "small", 1L << 20)).verdict())
                    .isEqualTo(Verdict.GO);
            Decision big = gate.check(connection, new Gate.Request(null, "big", 50L << 20));
            assertThat(big.verdict()).isEqualTo(Verdict.SKIP);
            assertThat(big.reasons()).contains("50 MB").contains("--disk-budget 10 MB");
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {11, 18})
    void waits_while_a_standby_is_behind_and_stops_on_the_standby_itself(int major) throws Exception {
        EmbeddedPostgresServer[] pair = EmbeddedPostgresServer.startWithStandby(major);
        try (EmbeddedPostgresServer primary = pair[0]; EmbeddedPostgresServer standby = pair[1];
                Connection connection = primary.connect("postgres"); Statement sql = connection.createStatement()) {
            Gate gate = new Gate(GateLimits.defaults().withReplica(Duration.ofMinutes(5), 1L << 20));
            Await.until("the standby streams", () -> gate.check(connection, Gate.Request.server()).go()
                    && query(sql, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").equals("1"));
            try (Connection onStandby = standby.connect("postgres"); Statement standbySql = onStandby.createStatement()) {
                Decision there = gate.check(onStandby, Gate.Request.server());
                assertThat(there.verdict()).isEqualTo(Verdict.STOP);
                assertThat(there.reasons()).contains("standby");
                standbySql.execute("SELECT pg_wal_replay_pause()");
                sql.execute("CREATE TABLE wal_maker AS SELECT g, md5(g::text) FROM generate_series(1, 200000) g");
                Await.until("the standby has received the WAL it does not replay", () -> !gate.check(connection,
                        Gate.Request.server()).go());
                Decision behind = gate.check(connection, Gate.Request.server());
                assertThat(behind.verdict()).isEqualTo(Verdict.WAIT);
                assertThat(behind.signals()).extracting(Signal::name).contains("replica_bytes");
                standbySql.execute("SELECT pg_wal_replay_resume()");
            }
            Await.until("the standby has caught up", () -> gate.check(connection, Gate.Request.server()).go());
        }
    }

    @PostgresTest(versions = {11, 18})
    void skips_a_table_an_anti_wraparound_autovacuum_is_working_on(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE old_rows (id int, pad text)",
                "INSERT INTO old_rows SELECT g, repeat('x', 200) FROM generate_series(1, 40000) g",
                "CREATE TABLE xid_eater (id int)",
                // the lowest freeze age a table may ask for, and a vacuum slowed to a crawl so the test sees it
                "ALTER TABLE old_rows SET (autovacuum_freeze_max_age = 100000, autovacuum_vacuum_cost_delay = 100, "
                        + "autovacuum_vacuum_cost_limit = 1)",
                "ALTER SYSTEM SET autovacuum_naptime = '1s'", "SELECT pg_reload_conf()");
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            // each subtransaction that writes takes a transaction id: age the table past its freeze age
            sql.execute("DO $$ BEGIN FOR i IN 1..110000 LOOP BEGIN INSERT INTO xid_eater VALUES (i); "
                    + "EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END $$");
            long table = Long.parseLong(query(sql, "SELECT 'old_rows'::regclass::oid"));
            Gate gate = new Gate(GateLimits.defaults());
            Await.until("an autovacuum to prevent wraparound works on the table", () -> gate.check(connection,
                    new Gate.Request(table, "public.old_rows", 0)).verdict() == Verdict.SKIP);
            Decision decision = gate.check(connection, new Gate.Request(table, "public.old_rows", 0));
            assertThat(decision.signals()).extracting(Signal::name).containsExactly("wraparound_vacuum");
            assertThat(decision.reasons()).contains("to prevent wraparound");
            long other = Long.parseLong(query(sql, "SELECT 'xid_eater'::regclass::oid"));
            assertThat(gate.check(connection, new Gate.Request(other, "public.xid_eater", 0)).signals())
                    .extracting(Signal::name).doesNotContain("wraparound_vacuum");
        } finally {
            db.execute("ALTER SYSTEM RESET autovacuum_naptime", "SELECT pg_reload_conf()");
            // the vacuum cannot be cancelled by a lock request, and comes back while the table is old: stop it
            // and drop the table in one go, under a lock_timeout, until the drop wins
            Await.until("the slowed vacuum is stopped and its table dropped", () -> {
                try (Connection cleanup = db.connect(); Statement sql = cleanup.createStatement()) {
                    sql.execute("SET lock_timeout = '200ms'");
                    sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_progress_vacuum WHERE relid = "
                            + "'old_rows'::regclass");
                    sql.execute("DROP TABLE old_rows");
                    return true;
                } catch (java.sql.SQLException e) {
                    return false;
                }
            });
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {11, 18})
    void waits_while_wal_archiving_fails_or_falls_behind(int major) throws Exception {
        // an archive_command that fails until a file says it may succeed: the archiver retries, and WAL piles
        // up behind it
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("zl-archive");
        java.nio.file.Path allow = directory.resolve("allow");
        java.nio.file.Path command = directory.resolve("archive.sh");
        java.nio.file.Files.writeString(command, "#!/bin/sh\ntest -f " + allow + "\n");
        command.toFile().setExecutable(true, false);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(major, java.util.Map.of("archive_mode",
                "on", "archive_command", command.toString(), "wal_level", "replica"));
                Connection connection = server.connect("postgres"); Statement sql = connection.createStatement()) {
            Gate gate = new Gate(GateLimits.defaults().withWal(10L << 30, 2));
            sql.execute("CREATE TABLE wal_maker (g int)");
            for (int segment = 0; segment < 4; segment++) {
                sql.execute("INSERT INTO wal_maker SELECT generate_series(1, 1000)");
                sql.execute("SELECT pg_switch_wal()");
            }
            Await.until("the archiver has failed", () -> !gate.check(connection, Gate.Request.server()).go());
            Decision decision = gate.check(connection, Gate.Request.server());
            assertThat(decision.verdict()).isEqualTo(Verdict.WAIT);
            assertThat(decision.reasons()).contains("WAL archiving is failing");
            java.nio.file.Files.writeString(allow, "");
            // a new segment to archive wakes the archiver from its wait after the failures
            sql.execute("INSERT INTO wal_maker SELECT generate_series(1, 1000)");
            sql.execute("SELECT pg_switch_wal()");
            String last = "";
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            boolean caughtUp = false;
            while (!caughtUp && System.nanoTime() < deadline) {
                Decision now = gate.check(connection, Gate.Request.server());
                caughtUp = now.go();
                last = now.reasons() + " / " + query(sql, "SELECT row(s.*)::text FROM pg_stat_archiver s");
                Thread.sleep(200);
            }
            assertThat(caughtUp).as("the archiver caught up; the gate last said: " + last).isTrue();
            // a backlog without failures: segments waiting count against --max-archive-backlog
            ServerHealth.Archiver archiver = ServerHealth.read(connection, null).archiver();
            assertThat(archiver).isNotNull();
            assertThat(archiver.failing()).isFalse();
            assertThat(archiver.backlogSegments()).isLessThanOrEqualTo(2L);
        }
    }

    @Test
    void counts_wal_segments_across_log_files() {
        long perLog = 0x100000000L / (16L << 20);
        assertThat(ServerHealth.segment("0000000100000000000000FF", perLog)).isEqualTo(255);
        assertThat(ServerHealth.segment("000000020000000100000000", perLog)).isEqualTo(256);
        assertThat(ServerHealth.segment("000000010000000100000002", perLog)
                - ServerHealth.segment("0000000100000000000000FE", perLog)).isEqualTo(4);
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery(
                "SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String query(Statement sql, String query) {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

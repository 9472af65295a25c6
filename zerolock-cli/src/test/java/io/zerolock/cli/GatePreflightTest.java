package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * reindex asks the gate before each index, apply and alter-type once before they start: what it says is
 * obeyed, logged and kept in the history.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GatePreflightTest {

    @PostgresTest
    void skips_an_index_bigger_than_the_disk_budget_and_rebuilds_the_one_that_fits(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g",
                "CREATE INDEX t_v ON t (v)");
        long big = db.queryLong("SELECT pg_relation_size('t_v')");
        long small = db.queryLong("SELECT pg_relation_size('t_pkey')");
        assertThat(big).isGreaterThan(small);
        String budget = String.valueOf((big + small) / 2);
        long before = db.queryLong("SELECT 't_v'::regclass::oid");

        Cli run = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--table", "t", "--disk-budget", budget);
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.all()).contains("the gate said skip").contains("--disk-budget");
        assertThat(db.queryLong("SELECT 't_v'::regclass::oid")).as("t_v untouched").isEqualTo(before);
        assertThat(db.queryString("SELECT string_agg(target || ' ' || verdict || ' ' || signals::text, ', ' "
                + "ORDER BY target) FROM zerolock.gate_decision WHERE command = 'reindex'"))
                .isEqualTo("public.t_pkey go {}, public.t_v skip {disk}");

        Cli none = Cli.run("reindex", "-d", CommandLineTest.uri(db), "t_v", "--disk-budget", "1kB");
        assertThat(none.exitCode()).as(none.all()).isEqualTo(2);
        assertThat(none.err()).contains("refused, nothing was changed: the gate said skip");
    }

    @PostgresTest(versions = {11, 18})
    void refuses_to_start_while_a_replication_slot_holds_back_more_wal_than_allowed(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t SELECT generate_series(1, 1000)",
                "SELECT pg_create_physical_replication_slot('zerolock_reindex_slot', true)");
        try {
            db.execute("CREATE TABLE wal_maker AS SELECT g, md5(g::text) FROM generate_series(1, 100000) g");
            long before = db.queryLong("SELECT 't_pkey'::regclass::oid");
            Cli run = Cli.run("reindex", "-d", CommandLineTest.uri(db), "t_pkey", "--max-retained-wal", "1MB");
            assertThat(run.exitCode()).as(run.all()).isEqualTo(2);
            assertThat(run.err()).contains("the gate said wait").contains("zerolock_reindex_slot")
                    .contains("--max-retained-wal 1024 kB");
            assertThat(db.queryLong("SELECT 't_pkey'::regclass::oid")).isEqualTo(before);
        } finally {
            db.execute("SELECT pg_drop_replication_slot('zerolock_reindex_slot')");
        }
    }

    @PostgresTest(versions = {14})
    void apply_and_alter_type_refuse_to_start_while_the_gate_says_wait(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g",
                "SELECT pg_create_physical_replication_slot('zerolock_preflight_slot', true)");
        try {
            db.execute("CREATE TABLE wal_maker AS SELECT g, md5(g::text) FROM generate_series(1, 100000) g");
            java.nio.file.Path file = java.nio.file.Files.createTempDirectory("zl-preflight").resolve("V1__index.sql");
            java.nio.file.Files.writeString(file, "CREATE INDEX t_v ON t (v);\n");
            Cli apply = Cli.run("apply", "-d", CommandLineTest.uri(db), file.toString(), "--max-retained-wal", "1MB");
            assertThat(apply.exitCode()).as(apply.all()).isEqualTo(2);
            assertThat(apply.err()).contains("refused, nothing was changed: the gate said wait")
                    .contains("zerolock_preflight_slot");
            assertThat(db.queryString("SELECT to_regclass('t_v')")).isNull();

            Cli alter = Cli.run("alter-type", "-d", CommandLineTest.uri(db), "t.v", "bigint", "--max-retained-wal",
                    "1MB");
            assertThat(alter.exitCode()).as(alter.all()).isEqualTo(2);
            assertThat(alter.err()).contains("the gate said wait");
            assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                    + "'t'::regclass AND attname = 'v'")).isEqualTo("integer");
            assertThat(db.queryString("SELECT string_agg(command || ' ' || verdict, ', ' ORDER BY id) FROM "
                    + "zerolock.gate_decision")).isEqualTo("apply wait, alter-type wait");

            Cli applied = Cli.run("apply", "-d", CommandLineTest.uri(db), file.toString());
            assertThat(applied.exitCode()).as("within the default limits: " + applied.all()).isZero();
        } finally {
            db.execute("SELECT pg_drop_replication_slot('zerolock_preflight_slot')");
        }
    }
}

package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

class CleanupCommandTest {

    /** 57 bytes of base name + "_ccnew": PostgreSQL truncates the base so the whole fits in 63 bytes. */
    private static final String TRUNCATED = "a_very_long_index_name_that_postgresql_had_to_truncate_xx".substring(0, 57)
            + "_ccnew";

    @PostgresTest
    void classifies_every_kind_of_leftover_and_drops_only_the_safe_ones(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE t (id int PRIMARY KEY, v int, email text);
                INSERT INTO t SELECT g, g % 10, 'dup@example.com' FROM generate_series(1, 1000) g;
                CREATE INDEX t_v ON t (v);
                CREATE INDEX t_id_v ON t (id, v);
                CREATE INDEX t_v_ccnew1 ON t (v);
                CREATE INDEX t_v_ccold ON t (v);
                CREATE TABLE k (id int);
                ALTER TABLE k ADD CONSTRAINT k_id_ccnew UNIQUE (id);
                """);
        db.execute("CREATE INDEX \"" + TRUNCATED + "\" ON t (v)");
        long oid = db.queryLong("SELECT 't_v'::regclass::oid");
        db.execute("CREATE INDEX zerolock_" + oid + "_new ON t (v)");
        // the catalog state a killed run leaves: same index, marked invalid
        db.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid IN ('t_v_ccnew1'::regclass, "
                + "'t_v_ccold'::regclass, '\"" + TRUNCATED + "\"'::regclass, 'zerolock_" + oid + "_new'::regclass, "
                + "'k_id_ccnew'::regclass)");
        // a user's failed CREATE UNIQUE INDEX CONCURRENTLY (duplicates), for real
        try {
            db.execute("CREATE UNIQUE INDEX CONCURRENTLY t_email_unique ON t (email)");
        } catch (IllegalStateException expected) {
            // could not create unique index: the index stays, invalid
        }
        if (db.majorVersion() >= 12) {
            killReindexConcurrentlyWhileItWaitsForAnOldSnapshot(db);
        }
        List<String> invalidBefore = invalid(db);
        assertThat(invalidBefore).contains("t_email_unique", "t_v_ccnew1", "t_v_ccold", TRUNCATED,
                "zerolock_" + oid + "_new", "k_id_ccnew");

        Cli dryRun = Cli.run("cleanup", "-d", CommandLineTest.uri(db), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(line(dryRun.out(), "t_v_ccnew1")).contains("REINDEX CONCURRENTLY leftover (_ccnew)")
                .contains("would drop concurrently");
        assertThat(line(dryRun.out(), "t_v_ccold")).contains("the rebuild itself succeeded");
        assertThat(line(dryRun.out(), TRUNCATED)).contains("_ccnew");
        assertThat(line(dryRun.out(), "zerolock_" + oid + "_new")).contains("zerolock working index");
        assertThat(line(dryRun.out(), "t_email_unique")).contains("failed CREATE INDEX CONCURRENTLY")
                .contains("reported");
        assertThat(line(dryRun.out(), "k_id_ccnew")).contains("kept: a constraint uses it");
        assertThat(dryRun.out()).contains("Dry run: nothing was changed.");
        assertThat(invalid(db)).containsExactlyElementsOf(invalidBefore);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();

        Cli cleanup = Cli.run("cleanup", "-d", CommandLineTest.uri(db));
        assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
        assertThat(invalid(db)).containsExactlyInAnyOrder("t_email_unique", "k_id_ccnew");
        assertThat(db.queryString("SELECT string_agg(kind || ' ' || target || ' ' || outcome, ', ' ORDER BY target) "
                + "FROM zerolock.operation")).as("journaled").contains("cleanup public.t_v_ccnew1 done",
                        "cleanup public.t_v_ccold done", "cleanup public.zerolock_" + oid + "_new done");
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.step WHERE outcome = 'done'")).isGreaterThanOrEqualTo(4);
        assertThat(db.queryLong("SELECT count(*) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                + "WHERE c.relname IN ('t_v', 't_id_v', 't_pkey') AND x.indisvalid")).isEqualTo(3);

        if (db.majorVersion() >= 12) {
            db.execute("UPDATE t SET email = id || '@example.com'");
            Cli rebuild = Cli.run("cleanup", "-d", CommandLineTest.uri(db), "--rebuild-invalid");
            assertThat(rebuild.exitCode()).as(rebuild.err()).isZero();
            assertThat(line(rebuild.out(), "t_email_unique")).contains("rebuilt");
            assertThat(invalid(db)).containsExactly("k_id_ccnew");
        }
    }

    @PostgresTest(versions = 18)
    void leaves_alone_the_tables_another_zerolock_is_working_on(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "CREATE INDEX t_v_ccnew ON t (v)",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_v_ccnew'::regclass");
        long oid = db.queryLong("SELECT 't'::regclass::oid");
        try (Connection other = db.connect(); Statement lock = other.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + ((0x7A65726FL << 32) | oid) + ")"); // what a running zerolock holds
            Cli busy = Cli.run("cleanup", "-d", CommandLineTest.uri(db));
            assertThat(busy.exitCode()).as(busy.err()).isZero();
            assertThat(line(busy.out(), "t_v_ccnew")).contains("skipped for now: another zerolock is working on "
                    + "table public.t");
            assertThat(invalid(db)).containsExactly("t_v_ccnew");
        }
        assertThat(Cli.run("cleanup", "-d", CommandLineTest.uri(db)).exitCode()).isZero();
        assertThat(invalid(db)).isEmpty();
    }

    @PostgresTest(versions = 18)
    void says_so_when_there_is_nothing_to_clean(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        Cli cli = Cli.run("cleanup", "-d", CommandLineTest.uri(db));
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).isEqualTo("No invalid indexes.\n");
    }

    @PostgresTest(minVersion = 12)
    void a_build_in_progress_is_not_a_leftover(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "CREATE INDEX t_v ON t (v)",
                "CREATE TABLE other (id int)");
        java.util.concurrent.CompletableFuture<Void> reindex;
        try (Connection old = db.connect(); Statement reader = old.createStatement()) {
            reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            reader.execute("SELECT count(*) FROM other"); // an old snapshot holds the REINDEX in its wait phase
            reindex = java.util.concurrent.CompletableFuture.runAsync(
                    () -> db.execute("REINDEX INDEX CONCURRENTLY t_v"));
            io.zerolock.testing.Await.until("REINDEX CONCURRENTLY has made its _ccnew", () -> {
                if (reindex.isDone()) {
                    reindex.get();
                    throw new AssertionError("the REINDEX ended before it could be seen");
                }
                return invalid(db).contains("t_v_ccnew");
            });
            assertThat(invalid(db)).containsExactly("t_v_ccnew");

            Cli dryRun = Cli.run("cleanup", "-d", CommandLineTest.uri(db), "--dry-run");
            assertThat(line(dryRun.out(), "t_v_ccnew")).contains("kept: a concurrent build is running on its table")
                    .contains("REINDEX INDEX CONCURRENTLY t_v");
            Cli cleanup = Cli.run("cleanup", "-d", CommandLineTest.uri(db));
            assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
            assertThat(line(cleanup.out(), "t_v_ccnew")).contains("kept: a concurrent build").doesNotContain("dropped");
            assertThat(reindex).as("the user's REINDEX was left alone").isNotDone();
            reader.execute("ROLLBACK");
        }
        reindex.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(invalid(db)).isEmpty();
    }

    @PostgresTest(minVersion = 12)
    void a_failed_rebuild_leaves_nothing_and_says_what_it_found(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, email text)",
                "INSERT INTO t SELECT g, 'dup@example.com' FROM generate_series(1, 100) g");
        try {
            db.execute("CREATE UNIQUE INDEX CONCURRENTLY t_email_unique ON t (email)");
        } catch (IllegalStateException expected) {
            // duplicates: the index stays, invalid
        }
        Cli rebuild = Cli.run("cleanup", "-d", CommandLineTest.uri(db), "--rebuild-invalid");
        assertThat(rebuild.exitCode()).as(rebuild.err()).isEqualTo(1);
        assertThat(line(rebuild.out(), "t_email_unique")).contains("FAILED").contains("is duplicated")
                .contains("dropped what it left behind (public.t_email_unique_ccnew)")
                .contains("public.t_email_unique is still invalid").doesNotContain("nothing was changed");
        assertThat(invalid(db)).containsExactly("t_email_unique");
    }

    @PostgresTest
    void a_valid_working_index_of_a_dead_run_is_recognised_and_dropped(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "CREATE INDEX t_v ON t (v)");
        long oid = db.queryLong("SELECT 't_v'::regclass::oid");
        String twin = "zerolock_" + oid + "_new";
        db.execute("CREATE INDEX " + twin + " ON t (v)"); // built, then the run died before its swap
        Cli indexes = Cli.run("indexes", "-d", CommandLineTest.uri(db));
        assertThat(line(indexes.out(), twin)).contains("zerolock's working index");
        Cli dryRun = Cli.run("cleanup", "-d", CommandLineTest.uri(db), "--dry-run");
        assertThat(line(dryRun.out(), twin)).contains("zerolock working index").contains("would drop concurrently");
        Cli cleanup = Cli.run("cleanup", "-d", CommandLineTest.uri(db));
        assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
        assertThat(line(cleanup.out(), twin)).contains("dropped");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = '" + twin + "'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 't_v'")).isOne();
    }

    /** REINDEX CONCURRENTLY waits for transactions older than its build; cancelling it there leaves _ccnew. */
    private static void killReindexConcurrentlyWhileItWaitsForAnOldSnapshot(TestDatabase db) throws Exception {
        try (Connection old = db.connect(); Statement reader = old.createStatement();
                Connection rebuild = db.connect(); Statement reindex = rebuild.createStatement()) {
            reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            reader.execute("SELECT count(*) FROM k");
            reindex.execute("SET statement_timeout = '1s'");
            try {
                reindex.execute("REINDEX INDEX CONCURRENTLY t_id_v");
            } catch (java.sql.SQLException expected) {
                // canceling statement due to statement timeout
            }
            reader.execute("ROLLBACK");
        }
        assertThat(invalid(db)).contains("t_id_v_ccnew");
    }

    private static List<String> invalid(TestDatabase db) {
        String names = db.queryString("SELECT string_agg(c.relname, '|' ORDER BY c.relname) FROM pg_index x "
                + "JOIN pg_class c ON c.oid = x.indexrelid WHERE NOT x.indisvalid");
        return names == null ? List.of() : List.of(names.split("\\|"));
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + text));
    }
}

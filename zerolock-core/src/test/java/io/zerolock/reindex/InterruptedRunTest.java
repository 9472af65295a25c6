package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ZerolockException;
import io.zerolock.execute.Executor;
import io.zerolock.plan.Step;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;

/**
 * Runs that die in the middle, for real: a killed {@code REINDEX CONCURRENTLY}, a twin built but never
 * swapped, the work backend terminated from another session, and the server crashing and restarting.
 * The next run ends exactly like one clean run.
 */
class InterruptedRunTest {

    private static final String SCHEMA = """
            CREATE TABLE parent (id int PRIMARY KEY, v int);
            INSERT INTO parent SELECT g, g FROM generate_series(1, 20000) g;
            CREATE INDEX parent_v ON parent (v);
            CREATE TABLE child (parent_id int REFERENCES parent ON DELETE CASCADE);
            INSERT INTO child SELECT generate_series(1, 20000);
            CREATE TABLE legacy (parent_id int);
            ALTER TABLE legacy ADD CONSTRAINT legacy_fk FOREIGN KEY (parent_id) REFERENCES parent NOT VALID;
            """;
    /** zerolock's concurrent build statements, as pg_stat_activity shows them. */
    private static final String BUILDING = "^(CREATE (UNIQUE )?INDEX CONCURRENTLY|REINDEX INDEX CONCURRENTLY)";

    @PostgresTest(minVersion = 12)
    void the_leftovers_of_a_killed_reindex_concurrently_are_dropped_before_the_rebuild(TestDatabase db)
            throws Exception {
        db.execute(SCHEMA, "CREATE INDEX parent_id_ccnew ON parent (id)",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'parent_id_ccnew'::regclass");
        List<String> clean = CatalogFingerprint.of(db, "public");
        // a real _ccnew: REINDEX CONCURRENTLY cancelled while it waits for an old snapshot
        try (Connection old = db.connect(); Statement reader = old.createStatement();
                Connection rebuild = db.connect(); Statement reindex = rebuild.createStatement()) {
            reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            reader.execute("SELECT count(*) FROM legacy");
            reindex.execute("SET statement_timeout = '1s'");
            assertThatThrownBy(() -> reindex.execute("REINDEX INDEX CONCURRENTLY parent_v"))
                    .isInstanceOf(SQLException.class);
            reader.execute("ROLLBACK");
        }
        // and _ccold, as a REINDEX CONCURRENTLY killed after its swap leaves it: the old index, invalid
        db.execute("CREATE INDEX parent_v_ccold ON parent (v)",
                "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'parent_v_ccold'::regclass");

        List<ReindexOutcome> outcomes = new Reindexer(Databases.connector(db),
                ReindexOptions.defaults().withStrategy(Strategy.NATIVE)).run(ReindexRequest.indexes("parent_v"), false);
        assertThat(outcomes.get(0).plan().steps().get(0).statements()).containsExactlyInAnyOrder(
                "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"parent_v_ccnew\"",
                "DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"parent_v_ccold\"");
        assertThat(CatalogFingerprint.of(db, "public")).as("parent_id_ccnew is not parent_v's: kept")
                .containsExactlyElementsOf(clean);
    }

    @PostgresTest
    void a_twin_built_by_a_run_killed_before_the_swap_is_swapped_in(TestDatabase db) {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        ReindexOptions swap = ReindexOptions.defaults().withStrategy(Strategy.SWAP);
        System.setProperty(Executor.HALT_AFTER_STEP, "build");
        try {
            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), swap)
                    .run(ReindexRequest.indexes("parent_pkey"), false)).isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
        long twin = db.queryLong("SELECT oid FROM pg_class WHERE relname LIKE 'zerolock\\_%\\_new'");

        List<ReindexOutcome> planned = new Reindexer(Databases.connector(db), swap)
                .run(ReindexRequest.indexes("parent_pkey"), true);
        assertThat(planned.get(0).plan().steps()).extracting(Step::name)
                .containsExactly("swap", "validate:child_parent_id_fkey");
        new Reindexer(Databases.connector(db), swap).run(ReindexRequest.indexes("parent_pkey"), false);
        assertThat(db.queryLong("SELECT 'parent_pkey'::regclass::oid")).as("the twin itself").isEqualTo(twin);
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(clean);
    }

    @PostgresTest
    void a_work_backend_terminated_mid_build_or_mid_swap_is_repaired_by_the_next_run(TestDatabase db)
            throws Exception {
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        SoftAssertions softly = new SoftAssertions();
        for (Strategy strategy : strategies(db)) {
            for (String index : List.of("parent_pkey", "parent_v")) {
                String label = strategy.id() + " / " + index + " / PG " + db.majorVersion();
                interrupt(db, strategy, index, BUILDING, true, pid -> terminate(db, pid));
                repairAndCompare(db, strategy, index, clean, softly, label + " / terminated mid-build");
                if (strategy == Strategy.SWAP && index.equals("parent_pkey")) {
                    interrupt(db, strategy, index, "^LOCK TABLE", false, pid -> terminate(db, pid));
                    repairAndCompare(db, strategy, index, clean, softly, label + " / terminated mid-swap");
                }
            }
        }
        softly.assertAll();
    }

    /**
     * The server crashes mid-build and restarts (a backend killed with SIGKILL makes the postmaster end
     * every session and run crash recovery). Last in this class: every connection to the server dies.
     */
    @PostgresTest
    void a_server_restart_mid_build_is_repaired_by_the_next_run(TestDatabase db) throws Exception {
        // the embedded server runs with synchronous_commit = off (zonky's default): a crash would lose the
        // last fraction of a second of commits. A production server commits durably; so does this database.
        db.execute("ALTER DATABASE \"" + db.name() + "\" SET synchronous_commit = on");
        db.execute(SCHEMA);
        List<String> clean = CatalogFingerprint.of(db, "public");
        SoftAssertions softly = new SoftAssertions();
        for (Strategy strategy : strategies(db)) {
            interrupt(db, strategy, "parent_pkey", BUILDING, true, pid -> {
                // a session opened before the kill dies when the postmaster resets: until then the restart
                // has not begun, and a new connection could still reach the server as it was
                try (java.sql.Connection witness = db.connect()) {
                    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                    Await.until("the postmaster ends every session to recover from the crash", () -> {
                        try (java.sql.Statement statement = witness.createStatement()) {
                            statement.execute("SELECT 1");
                            return false;
                        } catch (java.sql.SQLException gone) {
                            return true;
                        }
                    });
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                awaitServer(db);
            });
            String label = strategy.id() + " / server restart / PG " + db.majorVersion();
            // the build left an invalid index, and the journal says running (or failed, when the run's own
            // failure handling got its word in before the server went down): resume finishes both
            softly.assertThat(db.queryLong("SELECT count(*) FROM zerolock.operation WHERE outcome <> 'done'"))
                    .as(label + ": journaled as unfinished").isPositive();
            List<String> resumed = new Reindexer(Databases.connector(db), ReindexOptions.defaults()).resumeAll();
            softly.assertThat(resumed).as(label + ": resume").anyMatch(line -> line.contains("dropped what it left"));
            softly.assertThat(db.queryLong("SELECT count(*) FROM zerolock.operation WHERE outcome = 'running'"))
                    .as(label + ": every operation has a final outcome").isZero();
            softly.assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' "
                    + "OR relname LIKE '%\\_cc%'")).as(label + ": nothing left after resume").isZero();
            repairAndCompare(db, strategy, "parent_pkey", clean, softly, label);
        }
        softly.assertAll();
    }

    private interface Interruption {
        void at(long pid) throws Exception;
    }

    /**
     * Starts a reindex, holds it up where it can be interrupted (an old snapshot stalls a concurrent build;
     * a share lock stalls the swap), interrupts its work backend when it runs a statement matching
     * {@code statement}, then lets go; the run must fail.
     */
    private static void interrupt(TestDatabase db, Strategy strategy, String index, String statement,
            boolean snapshot, Interruption interruption) throws Exception {
        Connection holder = db.connect();
        try (Statement hold = holder.createStatement()) {
            hold.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            hold.execute(snapshot ? "SELECT count(*) FROM legacy" : "LOCK TABLE parent IN ACCESS SHARE MODE");
            ReindexOptions options = ReindexOptions.defaults().withStrategy(strategy)
                    .withLocks(Duration.ofMillis(500), 20);
            CompletableFuture<?> run = CompletableFuture.runAsync(() -> new Reindexer(Databases.connector(db), options)
                    .run(ReindexRequest.indexes(index), false));
            long pid = awaitBackend(db, statement, run);
            interruption.at(pid);
            assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(ZerolockException.class);
        } finally {
            try {
                holder.close();
            } catch (SQLException gone) {
                // the server restarted under it
            }
        }
    }

    private static void repairAndCompare(TestDatabase db, Strategy strategy, String index, List<String> clean,
            SoftAssertions softly, String label) {
        try {
            new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(strategy))
                    .run(ReindexRequest.indexes(index), false);
        } catch (RuntimeException e) {
            softly.fail(label + ": the next run failed: " + e.getMessage());
            return;
        }
        softly.assertThat(CatalogFingerprint.of(db, "public")).as(label).containsExactlyElementsOf(clean);
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock\\_%' "
                + "OR relname LIKE '%\\_cc%'")).as(label + ": nothing extra").isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM child")).as(label + ": rows").isEqualTo(20000);
    }

    private static List<Strategy> strategies(TestDatabase db) {
        return db.majorVersion() < 12 ? List.of(Strategy.SWAP) : List.of(Strategy.NATIVE, Strategy.SWAP);
    }

    private static long awaitBackend(TestDatabase db, String statement, CompletableFuture<?> run) {
        String query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = 'zerolock' AND state <> 'idle' AND query ~* '" + statement + "' LIMIT 1";
        Await.until("zerolock runs " + statement, () -> {
            if (run.isDone()) {
                run.get();
                throw new AssertionError("the run ended before it could be interrupted");
            }
            return db.queryString(query) != null;
        });
        return Long.parseLong(db.queryString(query));
    }

    private static void terminate(TestDatabase db, long pid) {
        db.queryString("SELECT pg_terminate_backend(" + pid + ")");
    }

    /** After a crash the postmaster restarts every session and runs recovery: wait until it answers again. */
    private static void awaitServer(TestDatabase db) {
        Await.until("the server accepts connections again after crash recovery", () -> {
            try {
                return "1".equals(db.queryString("SELECT 1"));
            } catch (IllegalStateException starting) {
                return false;
            }
        });
    }
}

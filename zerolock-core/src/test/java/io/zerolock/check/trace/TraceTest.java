package io.zerolock.check.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import java.util.Set;

/** The trace on a real server confirms, refutes and adds to the static findings, per version. */
class TraceTest {

    private static final String MIGRATION = """
            SET lock_timeout = '1s';
            ALTER TABLE orders ALTER COLUMN code TYPE varchar(50);
            ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
            CREATE INDEX orders_amount ON orders (amount);
            ALTER TABLE orders ALTER COLUMN name SET NOT NULL;
            CREATE TABLE fresh (id int);
            CREATE INDEX fresh_id ON fresh (id);
            DO $$ BEGIN EXECUTE format('ALTER TABLE %I ALTER COLUMN id TYPE bigint', 'orders'); END $$;
            BEGIN;
            ALTER TABLE orders ADD COLUMN note text;
            UPDATE orders SET note = 'x';
            COMMIT;
            CREATE INDEX CONCURRENTLY orders_note ON orders (note);
            ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0);
            """;

    @PostgresTest
    void confirms_refutes_and_adds_findings_with_what_the_server_did(TestDatabase db) throws Exception {
        // the schema before the migration, made outside it: the static rules do not know its column types
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, code varchar(20), amount int, name text)",
                "ALTER TABLE orders ADD CONSTRAINT name_known CHECK (name IS NOT NULL)");
        List<Checker.Source> sources = List.of(new Checker.Source("V2__change.sql", MIGRATION));
        Checker.Report report = Checker.check(sources, db.majorVersion(), Set.of());
        List<Tracer.Traced> traced = new Tracer(db.connect(), db::connect).trace(sources);
        TraceVerdict.Result result = TraceVerdict.apply(report, traced, "PostgreSQL " + db.majorVersion());

        assertThat(traced).filteredOn(t -> t.outcome() != Tracer.Outcome.RAN).isEmpty();
        List<Finding> kept = result.report().findings();
        assertThat(ids(result.refuted())).as("a varchar widening rewrites nothing").contains("ZL014@2");
        assertThat(find(kept, "ZL014", 3).trace()).contains("ACCESS EXCLUSIVE on public.orders")
                .contains("rewrote public.orders");
        assertThat(find(kept, "ZL001", 4).trace()).contains("SHARE on public.orders");
        if (db.majorVersion() >= 12) {
            assertThat(ids(result.refuted())).as("a validated CHECK (name IS NOT NULL) spares the scan")
                    .contains("ZL007@5");
        } else {
            assertThat(find(kept, "ZL007", 5).trace()).contains("scanned public.orders in full");
        }
        assertThat(find(kept, "ZL100", 8).message()).contains("rewrote public.orders");
        assertThat(find(kept, "ZL024", 11).trace()).contains("still holding ACCESS EXCLUSIVE on public.orders");
        assertThat(find(kept, "ZL023", 11)).isNotNull();
        assertThat(find(kept, "ZL008", 14).trace()).contains("scanned public.orders in full");
        assertThat(ids(kept)).as("nothing on the new table").noneMatch(id -> id.endsWith("@6") || id.endsWith("@7"));
        Tracer.Traced concurrent = traced.stream().filter(t -> t.line() == 13).findFirst().orElseThrow();
        assertThat(concurrent.outsideTransaction()).isTrue();
        assertThat(concurrent.outcome()).isEqualTo(Tracer.Outcome.RAN);
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
    }

    /**
     * On a copy of a database where the async queue built the index already, the later migration's CREATE INDEX
     * is reported as already there, as zerolock apply skips it, and not run.
     */
    @PostgresTest
    void reports_an_index_the_queue_built_already_as_a_no_op(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE orders (id int PRIMARY KEY, amount int)",
                "CREATE INDEX orders_amount ON orders USING btree (amount)");
        String later = """
                CREATE INDEX orders_amount ON orders (amount);
                CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_amount_desc ON orders (amount DESC);
                """;
        List<Checker.Source> sources = List.of(new Checker.Source("V43__indexes.sql", later));
        Checker.Report report = Checker.check(sources, db.majorVersion(), Set.of());
        List<Tracer.Traced> traced = new Tracer(db.connect(), db::connect).trace(sources);
        TraceVerdict.Result result = TraceVerdict.apply(report, traced, "PostgreSQL " + db.majorVersion());

        assertThat(traced.get(0).outcome()).isEqualTo(Tracer.Outcome.SKIPPED);
        assertThat(traced.get(0).error()).startsWith("already there: a valid index public.orders_amount with exactly "
                + "this definition exists").endsWith("zerolock apply skips it");
        assertThat(ids(result.refuted())).contains("ZL001@1");
        assertThat(traced.get(1).outcome()).as("another definition: built").isEqualTo(Tracer.Outcome.RAN);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_amount_desc'")).isOne();
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.ruleId() + "@" + f.line()).toList();
    }

    @PostgresTest
    void a_statement_that_fails_on_the_server_is_a_finding_with_the_servers_error(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE filled (id int PRIMARY KEY)", "INSERT INTO filled VALUES (1)");
        List<Checker.Source> sources = List.of(new Checker.Source("V2__fails.sql", "SET lock_timeout = '1s';\n"
                + "ALTER TABLE filled ADD COLUMN region text NOT NULL;\nCREATE INDEX CONCURRENTLY filled_id ON filled (id);\n"));
        Checker.Report report = Checker.check(sources, db.majorVersion(), Set.of());
        List<Tracer.Traced> traced;
        try (java.sql.Connection connection = db.connect()) {
            traced = new Tracer(connection, db::connect).trace(sources);
        }
        TraceVerdict.Result result = TraceVerdict.apply(report, traced, "PostgreSQL " + db.majorVersion());
        assertThat(find(result.report().findings(), "ZL102", 2).message()).contains("failed on PostgreSQL")
                .contains("contains null values");
        assertThat(find(result.report().findings(), "ZL029", 2).trace()).contains("failed on PostgreSQL");
        assertThat(ids(result.report().findings())).noneMatch(id -> id.startsWith("ZL102@3"));
    }

    @PostgresTest
    void a_new_tables_foreign_key_is_traced_on_the_existing_table_it_locks(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE parents (id int PRIMARY KEY)", "INSERT INTO parents VALUES (1)");
        List<Checker.Source> sources = List.of(new Checker.Source("V2__child.sql",
                "CREATE TABLE kids (id int PRIMARY KEY, parent_id int REFERENCES parents);\n"));
        Checker.Report report = Checker.check(sources, db.majorVersion(), Set.of());
        List<Tracer.Traced> traced;
        try (java.sql.Connection connection = db.connect()) {
            traced = new Tracer(connection, db::connect).trace(sources);
        }
        TraceVerdict.Result result = TraceVerdict.apply(report, traced, "PostgreSQL " + db.majorVersion());
        assertThat(find(result.report().findings(), "ZL022", 1).trace())
                .contains("SHARE ROW EXCLUSIVE on public.parents");
    }

    @PostgresTest
    void timestamp_to_timestamptz_is_traced_in_the_production_time_zone_never_the_jvms(TestDatabase db)
            throws Exception {
        String previous = java.util.TimeZone.getDefault().getID();
        // a JVM in UTC must not make the trace believe production is in UTC
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        try {
            for (String zone : new String[] {null, "UTC", "Europe/Berlin"}) {
                db.execute("DROP TABLE IF EXISTS stamps", "CREATE TABLE stamps (id int PRIMARY KEY, at timestamp)",
                        "INSERT INTO stamps VALUES (1, '2026-01-01 10:00')");
                List<Checker.Source> sources = List.of(new Checker.Source("V2__stamps.sql",
                        "SET lock_timeout = '1s';\nALTER TABLE stamps ALTER COLUMN at TYPE timestamptz;\n"));
                List<Tracer.Traced> traced;
                try (java.sql.Connection connection = db.connect()) {
                    traced = new Tracer(connection, db::connect).withTimeZone(zone).trace(sources);
                }
                boolean rewrote = traced.get(1).rewritten().stream().anyMatch(r -> r.contains("stamps"));
                boolean expected = zone == null || !zone.equals("UTC") || db.majorVersion() < 12;
                assertThat(rewrote).as("zone " + zone + " on PostgreSQL " + db.majorVersion()).isEqualTo(expected);
            }
        } finally {
            java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(previous));
        }
    }

    private static Finding find(List<Finding> findings, String id, int line) {
        return findings.stream().filter(f -> f.ruleId().equals(id) && f.line() == line).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " at line " + line + " in " + ids(findings)));
    }
}

package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;

class ReindexCommandTest {

    private static final String SHOP = """
            CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
            CREATE INDEX customers_email ON customers (email);
            INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 5000) g;
            CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
            INSERT INTO orders SELECT g, 1 + g % 5000 FROM generate_series(1, 5000) g;
            CREATE TABLE slots (r int4range, EXCLUDE USING gist (r WITH &&));
            """;

    @PostgresTest
    void dry_run_prints_the_plan_and_changes_nothing(TestDatabase db) {
        db.execute(SHOP);
        List<String> before = CatalogFingerprint.of(db, "public");
        List<Long> files = CatalogFingerprint.files(db, "customers_pkey");
        Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_pkey", "--strategy", "swap",
                "--dry-run", "--lock-timeout", "750ms", "--lock-retries", "4");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Plan for public.customers_pkey (strategy swap")
                .contains("1. build: build a twin of public.customers_pkey concurrently")
                .contains("lock: SHARE UPDATE EXCLUSIVE on public.customers; outside a transaction; no lock_timeout")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY \"zerolock_")
                .contains("2. swap:")
                .contains("lock: ACCESS EXCLUSIVE on public.customers, public.orders; in one transaction; "
                        + "lock_timeout=750ms, 4 attempts")
                .contains("LOCK TABLE \"public\".\"customers\", \"public\".\"orders\" IN ACCESS EXCLUSIVE MODE;")
                .contains("ALTER TABLE \"public\".\"customers\" ADD CONSTRAINT \"customers_pkey\" PRIMARY KEY USING INDEX")
                .contains("NOT VALID;")
                .contains("3. validate:orders_customer_id_fkey")
                .contains("undo if a later step fails: DROP INDEX CONCURRENTLY IF EXISTS")
                .contains("Dry run: nothing was changed.");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(CatalogFingerprint.files(db, "customers_pkey")).isEqualTo(files);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();
    }

    @PostgresTest
    void rebuilds_and_reports_sizes_in_the_original_tools_style(TestDatabase db) {
        db.execute(SHOP);
        List<String> before = CatalogFingerprint.of(db, "public");
        Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--table", "customers");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("INDEX", "STRATEGY", "DURATION", "RETRIES", "OLD SIZE", "NEW SIZE",
                        "OTHERS WAITED")
                .contains("public.customers_pkey").contains("public.customers_email").contains("done");
        assertThat(cli.err()).containsPattern("msg=done index=public.customers_pkey strategy=(native|swap) "
                + "duration_ms=\\d+ retries=0 old_size=\"\\d+ kB\" new_size=\"\\d+ kB\"");
        assertThat(cli.err()).containsPattern("msg=impact index=public.customers_pkey blocked_sessions=\\d+ "
                + "max_wait_ms=\\d+ total_wait_ms=\\d+ step=");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
    }

    @PostgresTest(versions = 18)
    void reports_as_json(TestDatabase db) throws Exception {
        db.execute(SHOP);
        Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_email", "--format", "json");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(cli.out()).get(0);
        assertThat(result.get("index").asText()).isEqualTo("public.customers_email");
        assertThat(result.get("status").asText()).isEqualTo("done");
        assertThat(result.get("strategy").asText()).isEqualTo("native");
        assertThat(result.get("new_size_bytes").asLong()).isPositive();
        assertThat(result.get("impact").get("blocked_sessions").asInt()).isZero();
        assertThat(result.get("plan").get("steps").get(0).get("sql").get(0).asText())
                .isEqualTo("REINDEX INDEX CONCURRENTLY \"public\".\"customers_email\"");
    }

    @PostgresTest
    void refuses_an_exclusion_constraint_before_changing_anything(TestDatabase db) {
        db.execute(SHOP);
        List<String> before = CatalogFingerprint.of(db, "public");
        Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_email", "slots_r_excl");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("refused, nothing was changed: public.slots_r_excl: index of an exclusion "
                + "constraint");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);

        Cli table = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--table", "slots");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("skipped: index of an exclusion constraint");
    }

    @PostgresTest(versions = 11)
    void native_is_refused_before_12_with_the_alternative(TestDatabase db) {
        db.execute(SHOP);
        Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_email", "--strategy", "native");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("strategy native cannot rebuild it: native needs PostgreSQL 12+");
        Cli swap = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_email");
        assertThat(swap.exitCode()).as(swap.err()).isZero();
        assertThat(swap.out()).contains("swap");
    }

    @PostgresTest
    void applies_logs_and_resets_build_settings_and_skips_temp_file_limit_when_not_permitted(TestDatabase db) {
        String role = "owner_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'", "GRANT ALL ON SCHEMA public TO " + role);
        db.execute(SHOP, "ALTER TABLE customers OWNER TO " + role, "ALTER TABLE orders OWNER TO " + role);
        String uri = "postgresql://" + role + ":pw@localhost:" + db.port() + "/" + db.name();
        Cli cli = Cli.run("reindex", "-d", uri, "customers_email", "--strategy", "swap",
                "--maintenance-work-mem", "96MB", "--parallel-workers", "1", "--temp-file-limit", "1GB");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.err()).contains("event=pg_setting setting=maintenance_work_mem value=96MB")
                .contains("event=pg_setting setting=max_parallel_maintenance_workers value=1")
                .contains("msg=\"not applying temp_file_limit\"")
                .contains("msg=\"running without a journal: an interrupted run cannot be resumed")
                .doesNotContain("setting=temp_file_limit");

        Cli superuser = Cli.run("reindex", "-d", CommandLineTest.uri(db), "customers_email", "--temp-file-limit",
                "1GB");
        assertThat(superuser.err()).contains("event=pg_setting setting=temp_file_limit value=1GB");
    }

    @PostgresTest(versions = 18)
    void bad_options_exit_2(TestDatabase db) {
        assertThat(Cli.run("reindex", "-d", CommandLineTest.uri(db)).err()).contains("name at least one INDEX");
        assertThat(Cli.run("reindex", "-d", CommandLineTest.uri(db), "x", "--strategy", "fast").exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("reindex", "-d", CommandLineTest.uri(db), "x", "--lock-timeout", "soon").exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("reindex", "-d", CommandLineTest.uri(db), "x", "--lock-timeout", "0").exitCode())
                .isEqualTo(2);
        Cli missing = Cli.run("reindex", "-d", CommandLineTest.uri(db), "no_such_index");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("index no_such_index does not exist");
    }

    @PostgresTest
    void a_run_over_several_indexes_tries_each_reports_each_and_exits_1_if_one_failed(TestDatabase db)
            throws Exception {
        db.execute("""
                CREATE TABLE a_busy (id int PRIMARY KEY);
                CREATE TABLE b_free (id int PRIMARY KEY);
                INSERT INTO a_busy SELECT generate_series(1, 100);
                INSERT INTO b_free SELECT generate_series(1, 100);
                """);
        List<Long> freeFiles = CatalogFingerprint.files(db, "b_free_pkey");
        try (java.sql.Connection holder = db.connect(); java.sql.Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE a_busy IN ACCESS SHARE MODE"); // the swap of a_busy_pkey cannot happen
            Cli cli = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--schema", "public", "--strategy", "swap",
                    "--lock-timeout", "50ms", "--lock-retries", "2");
            statement.execute("ROLLBACK");
            assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
            assertThat(line(cli.out(), "public.a_busy_pkey")).contains("failed: step swap could not take");
            assertThat(line(cli.out(), "public.b_free_pkey")).contains("done");
            assertThat(cli.err()).contains("public.a_busy_pkey");
        }
        assertThat(CatalogFingerprint.files(db, "b_free_pkey")).as("b_free_pkey was rebuilt after a_busy_pkey failed")
                .isNotEqualTo(freeFiles);
    }

    @PostgresTest
    void a_role_that_may_not_rebuild_is_refused_before_anything_is_built(TestDatabase db) {
        String role = "helper_" + db.name();
        db.execute(SHOP, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
                "GRANT ALL ON DATABASE " + db.name() + " TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO "
                        + role);
        String uri = "postgresql://" + role + ":pw@localhost:" + db.port() + "/" + db.name();
        List<String> before = CatalogFingerprint.of(db, "public");

        Cli indexes = Cli.run("indexes", "-d", uri, "--table", "customers");
        assertThat(indexes.exitCode()).as(indexes.err()).isZero();
        assertThat(line(indexes.out(), "public.customers_pkey")).contains("no [").doesNotContain("native, swap");

        Cli reindex = Cli.run("reindex", "-d", uri, "customers_pkey");
        assertThat(reindex.exitCode()).as(reindex.err()).isEqualTo(2);
        assertThat(reindex.err()).contains("role " + role + " may not rebuild it")
                .contains("ownership of public.customers (owner: postgres)").contains("run as the owner");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%'")).isZero();
    }

    @PostgresTest(minVersion = 17)
    void maintain_permits_native_but_not_swap(TestDatabase db) {
        String role = "maint_" + db.name();
        db.execute(SHOP, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
                "GRANT ALL ON DATABASE " + db.name() + " TO " + role, "GRANT MAINTAIN ON customers TO " + role);
        String uri = "postgresql://" + role + ":pw@localhost:" + db.port() + "/" + db.name();
        Cli swap = Cli.run("reindex", "-d", uri, "customers_email", "--strategy", "swap", "--dry-run");
        assertThat(swap.exitCode()).as(swap.err()).isEqualTo(2);
        assertThat(swap.err()).contains("swap needs ownership of public.customers");
        Cli nativeRun = Cli.run("reindex", "-d", uri, "customers_email", "--state-schema", "public");
        assertThat(nativeRun.exitCode()).as(nativeRun.err()).isZero();
        assertThat(line(nativeRun.out(), "public.customers_email")).contains("done");
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in:\n" + text));
    }
}

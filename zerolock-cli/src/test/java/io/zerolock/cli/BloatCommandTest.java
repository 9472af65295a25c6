package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BloatCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SCHEMA = "\"Sales EU\"";

    /** A schema and table whose names need quoting, an index bloated by deletes, one untouched. */
    private static void bloated(TestDatabase db) {
        db.execute("CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".\"Order Items\" (id int PRIMARY KEY, sku text, qty int)",
                "INSERT INTO " + SCHEMA + ".\"Order Items\" SELECT g, 'sku-' || (g % 900), g % 13 "
                        + "FROM generate_series(1, 40000) g",
                "CREATE INDEX \"Sku\" ON " + SCHEMA + ".\"Order Items\" (sku)",
                "CREATE INDEX qty_small ON " + SCHEMA + ".\"Order Items\" (qty) WHERE qty < 2",
                "DELETE FROM " + SCHEMA + ".\"Order Items\" WHERE id % 10 < 7",
                "VACUUM ANALYZE " + SCHEMA + ".\"Order Items\"");
    }

    @PostgresTest
    void reports_every_index_and_table_as_json_biggest_reclaim_first_and_creates_nothing(TestDatabase db)
            throws Exception {
        bloated(db);
        Cli run = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--schema", SCHEMA, "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode report = JSON.readTree(run.out());
        JsonNode indexes = report.get("indexes");
        assertThat(indexes).hasSize(3);
        JsonNode first = indexes.get(0);
        for (JsonNode index : indexes) {
            assertThat(index.get("name").asText()).startsWith(SCHEMA + ".");
            assertThat(index.get("size_bytes").asLong()).isPositive();
            assertThat(index.get("bloat_bytes").asLong()).isBetween(0L, index.get("size_bytes").asLong());
            assertThat(index.get("bloat_ratio").asDouble()).isBetween(0.0, 1.0);
            assertThat(index.get("method").asText()).isEqualTo("btree-model");
            assertThat(first.get("bloat_bytes").asLong()).isGreaterThanOrEqualTo(index.get("bloat_bytes").asLong());
        }
        // 70% of the rows deleted: the rebuilt index is about a third of the size
        JsonNode primaryKey = find(indexes, SCHEMA + ".\"Order Items_pkey\"");
        assertThat(primaryKey.get("bloat_ratio").asDouble()).isBetween(0.55, 0.8);
        assertThat(find(indexes, SCHEMA + ".\"Sku\"").get("table").asText())
                .isEqualTo(SCHEMA + ".\"Order Items\"");
        JsonNode tables = report.get("tables");
        assertThat(tables).hasSize(1);
        assertThat(tables.get(0).get("name").asText()).isEqualTo(SCHEMA + ".\"Order Items\"");
        assertThat(tables.get(0).get("method").asText()).isEqualTo("heap-model");
        // VACUUM does not shrink the table: most of its pages are free space now
        assertThat(tables.get(0).get("bloat_ratio").asDouble()).isBetween(0.55, 0.8);
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isEqualTo("0");

        Cli small = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--schema", SCHEMA, "--min-size", "200kB",
                "--format", "json");
        assertThat(small.exitCode()).as(small.all()).isZero();
        for (JsonNode index : JSON.readTree(small.out()).get("indexes")) {
            assertThat(index.get("size_bytes").asLong()).isGreaterThanOrEqualTo(200 * 1024);
        }
        assertThat(JSON.readTree(small.out()).get("indexes").size()).isLessThan(3);

        Cli text = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--table", SCHEMA + ".\"Order Items\"");
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.out()).contains("AFTER REBUILD").contains(SCHEMA + ".\"Sku\"").contains("heap-model");
    }

    @PostgresTest(versions = {14})
    void refuses_a_size_it_cannot_read_and_a_table_that_does_not_exist(TestDatabase db) {
        Cli size = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--min-size", "10 parsecs");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("unknown size unit 'parsecs'");
        Cli table = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--table", "nowhere");
        assertThat(table.exitCode()).isEqualTo(2);
        assertThat(table.err()).contains("nowhere");
    }

    @PostgresTest
    void says_why_when_a_table_was_never_analyzed(TestDatabase db) throws Exception {
        db.execute("ALTER SYSTEM SET autovacuum = off", "SELECT pg_reload_conf()");
        try {
            db.execute("CREATE TABLE fresh (id int, v text)", "INSERT INTO fresh SELECT g, 'v' FROM "
                    + "generate_series(1, 500) g", "CREATE INDEX fresh_v ON fresh USING gin (to_tsvector('simple', v))");
            Cli run = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--table", "fresh", "--format", "json");
            assertThat(run.exitCode()).as(run.all()).isZero();
            JsonNode table = JSON.readTree(run.out()).get("tables").get(0);
            assertThat(table.get("method").asText()).isEqualTo("none");
            assertThat(table.get("bloat_bytes").isNull()).isTrue();
            assertThat(table.get("note").asText()).contains("ANALYZE");
        } finally {
            db.execute("ALTER SYSTEM RESET autovacuum", "SELECT pg_reload_conf()");
        }
    }

    @PostgresTest
    void exact_reads_with_pgstattuple_when_installed_and_says_so_when_not(TestDatabase db) throws Exception {
        bloated(db);
        Cli without = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--schema", SCHEMA, "--exact",
                "--format", "json");
        assertThat(without.exitCode()).as(without.all()).isZero();
        JsonNode estimated = JSON.readTree(without.out()).get("indexes").get(0);
        assertThat(estimated.get("method").asText()).isEqualTo("btree-model");
        assertThat(estimated.get("note").asText()).contains("pgstattuple is not installed");

        db.execute("CREATE EXTENSION pgstattuple");
        Cli with = Cli.run("bloat", "-d", CommandLineTest.uri(db), "--schema", SCHEMA, "--exact", "--format", "json");
        assertThat(with.exitCode()).as(with.all()).isZero();
        JsonNode report = JSON.readTree(with.out());
        for (JsonNode index : report.get("indexes")) {
            assertThat(index.get("method").asText()).isEqualTo("pgstatindex");
            assertThat(index.get("bloat_ratio").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(find(report.get("indexes"), SCHEMA + ".\"Order Items_pkey\"").get("bloat_ratio").asDouble())
                .isBetween(0.55, 0.8);
        assertThat(report.get("tables").get(0).get("method").asText()).isEqualTo("pgstattuple");
        assertThat(with.err()).contains("reading every page with pgstattuple");
    }

    @PostgresTest
    void a_rebuild_records_its_estimate_and_later_estimates_learn_from_it(TestDatabase db) throws Exception {
        bloated(db);
        String uri = CommandLineTest.uri(db);
        Cli reindex = Cli.run("reindex", "-d", uri, SCHEMA + ".\"Sku\"");
        assertThat(reindex.exitCode()).as(reindex.all()).isZero();
        assertThat(db.queryString("SELECT estimate_method || ' ' || (estimated_size_after > 0) || ' ' || "
                + "(new_size > 0) FROM zerolock.operation WHERE kind = 'reindex'")).isEqualTo("btree-model true true");
        long estimated = db.queryLong("SELECT estimated_size_after FROM zerolock.operation WHERE kind = 'reindex'");
        long real = db.queryLong("SELECT new_size FROM zerolock.operation WHERE kind = 'reindex'");

        Cli after = Cli.run("bloat", "-d", uri, "--schema", SCHEMA, "--format", "json");
        assertThat(after.exitCode()).as(after.all()).isZero();
        JsonNode sku = find(JSON.readTree(after.out()).get("indexes"), SCHEMA + ".\"Sku\"");
        assertThat(sku.get("last_rebuild").isNull()).isFalse();
        assertThat(sku.get("calibration").asDouble()).isCloseTo((double) real / estimated,
                org.assertj.core.data.Offset.offset(1e-9));
        // just rebuilt: nothing (or next to nothing) to give back
        assertThat(sku.get("bloat_ratio").asDouble()).isLessThan(0.05);
        assertThat(find(JSON.readTree(after.out()).get("indexes"), SCHEMA + ".qty_small").get("last_rebuild")
                .isNull()).isTrue();

        Cli indexes = Cli.run("indexes", "-d", uri, "--schema", SCHEMA);
        assertThat(indexes.exitCode()).as(indexes.all()).isZero();
        assertThat(indexes.out()).contains("BLOAT").contains("SCANS");
        Cli indexesJson = Cli.run("indexes", "-d", uri, "--schema", SCHEMA, "--format", "json");
        JsonNode pkey = find(JSON.readTree(indexesJson.out()), SCHEMA + ".\"Order Items_pkey\"", "schema", "index");
        assertThat(pkey.get("bloat").get("bloat_ratio").asDouble()).isBetween(0.55, 0.8);
        assertThat(pkey.get("bloat").has("scans")).isTrue();
    }

    @PostgresTest(versions = {14})
    void a_role_that_may_not_read_the_table_gets_no_estimate_and_is_told_why(TestDatabase db) throws Exception {
        bloated(db);
        db.execute("CREATE ROLE bloat_reader LOGIN PASSWORD 'reader-secret'",
                "GRANT USAGE ON SCHEMA " + SCHEMA + " TO bloat_reader");
        String uri = "postgresql://bloat_reader:reader-secret@localhost:" + db.port() + "/" + db.name();
        Cli run = Cli.run("bloat", "-d", uri, "--schema", SCHEMA, "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        for (JsonNode index : JSON.readTree(run.out()).get("indexes")) {
            assertThat(index.get("method").asText()).isEqualTo("none");
            assertThat(index.get("bloat_bytes").isNull()).isTrue();
            assertThat(index.get("note").asText()).contains("permission denied").contains("let this role read it");
        }
        db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + SCHEMA + " TO bloat_reader");
        Cli granted = Cli.run("bloat", "-d", uri, "--schema", SCHEMA, "--format", "json");
        assertThat(find(JSON.readTree(granted.out()).get("indexes"), SCHEMA + ".\"Order Items_pkey\"")
                .get("bloat_ratio").asDouble()).isBetween(0.55, 0.8);
    }

    private static JsonNode find(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }

    private static JsonNode find(JsonNode list, String name, String schemaField, String nameField) {
        for (JsonNode item : list) {
            String display = io.zerolock.catalog.QualifiedName.of(item.get(schemaField).asText(),
                    item.get(nameField).asText()).display();
            if (display.equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not in " + list);
    }
}

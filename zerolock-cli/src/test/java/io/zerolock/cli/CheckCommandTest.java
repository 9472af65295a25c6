package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

    @TempDir
    Path dir;

    private Path migrations() throws Exception {
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n"
                + "CREATE INDEX orders_status ON orders (status);\n");
        Files.writeString(db.resolve("V2__index.sql"), "SET lock_timeout = '1s';\n"
                + "CREATE INDEX orders_status2 ON orders (status);\n"
                + "-- zerolock:ignore ZL001 tiny table, checked by hand\nCREATE INDEX orders_id ON orders (id);\n");
        Files.writeString(db.resolve("V10__rename.sql"), "SET lock_timeout = '1s';\n"
                + "ALTER TABLE orders RENAME COLUMN status TO state;\nGRANT SELECT ON orders TO reporting;\n"
                + "ALTER TABLE orders DETACH PARTITION orders_2020;\n");
        return db;
    }

    @Test
    void reports_where_why_and_what_instead_and_exits_3_on_errors() throws Exception {
        Path db = migrations();
        Cli cli = Cli.run("check", db.toString());
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
        assertThat(cli.out()).startsWith("zerolock check: 3 files, 9 statements, rules for PostgreSQL 18")
                .contains(db.resolve("V2__index.sql") + ":2:1  error  ZL001 create-index-not-concurrently")
                .contains("  why: CREATE INDEX without CONCURRENTLY takes a SHARE lock")
                .contains("  instead:\n    CREATE INDEX CONCURRENTLY")
                .contains(db.resolve("V10__rename.sql") + ":2:1  warning  ZL015 rename")
                .contains("ZL017 detach-partition-not-concurrently")
                .contains("1 error, 2 warnings, 0 notes; 1 statement not recognised (-v lists them)")
                .doesNotContain("V1__orders.sql:") // new table in its own file
                .doesNotContain(":4:1  error  ZL001"); // ignored inline
        // V2 before V10: natural order
        assertThat(cli.out().indexOf("V2__index.sql")).isLessThan(cli.out().indexOf("V10__rename.sql"));

        Cli verbose = Cli.run("check", "-v", db.toString());
        assertThat(verbose.out()).contains("V10__rename.sql:3  unknown statement, no rule applied: GRANT SELECT ON ...");
    }

    @Test
    void version_fail_on_and_exclude_change_the_verdict() throws Exception {
        Path db = migrations();
        Cli eleven = Cli.run("check", "--pg-version", "11", "--fail-on", "never", db.toString());
        assertThat(eleven.exitCode()).isZero();
        assertThat(eleven.out()).contains("rules for PostgreSQL 11").doesNotContain("ZL017"); // 14+ only
        Cli excluded = Cli.run("check", "--exclude", "ZL001", db.toString());
        assertThat(excluded.exitCode()).isZero();
        Cli strict = Cli.run("check", "--exclude", "ZL001", "--fail-on", "warning", db.toString());
        assertThat(strict.exitCode()).isEqualTo(3);
        Cli bad = Cli.run("check", "--pg-version", "9", db.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--pg-version must be between 11 and 18");
        Cli missing = Cli.run("check", dir.resolve("nope.sql").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory: " + dir.resolve("nope.sql"));
    }

    @Test
    void reads_the_projects_config_file() throws Exception {
        Path db = migrations();
        Path config = dir.resolve(".zerolock.toml");
        Files.writeString(config, "pg-version = 12\npaths = [\"" + db.toString().replace("\\", "\\\\") + "\"]\n"
                + "exclude = [\"ZL017\"]\nfail-on = \"warning\"\n\n[severity]\nZL015 = \"error\"\n");
        Cli cli = Cli.run("check", "--config", config.toString());
        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.out()).contains("rules for PostgreSQL 12").contains("error  ZL015 rename").doesNotContain("ZL017");

        Files.writeString(config, "pg_version = 12\n");
        Cli bad = Cli.run("check", "--config", config.toString(), db.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("cannot read " + config).contains("pg_version")
                .contains("known keys: pg-version, paths, exclude, fail-on, timezone, runner, role-lock-timeout, [severity]");
    }

    @Test
    void json_github_and_sarif_outputs() throws Exception {
        Path db = migrations();
        JsonNode json = new ObjectMapper().readTree(Cli.run("check", "--format", "json", db.toString()).out());
        assertThat(json.get("pgVersion").asInt()).isEqualTo(18);
        assertThat(json.get("findings")).hasSize(3);
        JsonNode first = json.get("findings").get(0);
        assertThat(first.get("rule").asText()).isEqualTo("ZL001");
        assertThat(first.get("line").asInt()).isEqualTo(2);
        assertThat(first.get("safe").asText()).contains("CREATE INDEX CONCURRENTLY");

        String github = Cli.run("check", "--format", "github", db.toString()).out();
        assertThat(github.lines()).hasSize(3).allMatch(line -> line.matches("::(error|warning|notice) file=[^,]+,"
                + "line=\\d+,col=\\d+,title=ZL\\d{3} [a-z-]+::.*"));
        assertThat(github).contains("%0AInstead:%0A");

        JsonNode sarif = new ObjectMapper().readTree(Cli.run("check", "--format", "sarif", db.toString()).out());
        assertSarif(sarif);
        assertThat(sarif.at("/runs/0/results")).hasSize(3);
    }

    @Test
    void trace_confirms_on_an_embedded_server_of_the_chosen_version() throws Exception {
        Path file = dir.resolve("V3__change.sql");
        Files.writeString(file, "CREATE TABLE orders (id int PRIMARY KEY, code varchar(20), amount int);\n");
        Path change = dir.resolve("V4__change.sql");
        Files.writeString(change, "SET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN amount TYPE bigint;\n"
                + "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ALTER COLUMN id TYPE bigint', 'orders'); END $$;\n");
        Cli cli = Cli.run("check", "--trace", "--pg-version", "14", file.toString(), change.toString());
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
        assertThat(cli.out()).contains("traced on PostgreSQL 14.")
                .contains("V4__change.sql:2:1  error  ZL014 alter-column-type")
                .contains("  traced: on PostgreSQL 14.").contains("ACCESS EXCLUSIVE on public.orders; rewrote")
                .contains("V4__change.sql:3:1  error  ZL100 traced-rewrite");
        JsonNode json = new ObjectMapper().readTree(Cli.run("check", "--trace", "--format", "json", "--pg-version", "11",
                file.toString(), change.toString()).out());
        assertThat(json.get("tracedOn").asText()).startsWith("PostgreSQL 11.");
        assertThat(json.get("traced")).hasSize(4);
        assertThat(json.at("/traced/2/locks/0/mode").asText()).isEqualTo("ACCESS EXCLUSIVE");
        assertThat(json.at("/traced/2/rewritten").toString()).contains("public.orders");

        // 16 is not bundled: downloaded once from Maven Central, like the bundled ones were at build time
        Cli sixteen = Cli.run("check", "--trace", "--pg-version", "16", file.toString(), change.toString());
        assertThat(sixteen.exitCode()).as(sixteen.err()).isEqualTo(3);
        assertThat(sixteen.out()).contains("traced on PostgreSQL 16.").contains("rewrote public.orders");
        Cli dbWithoutTrace = Cli.run("check", "-d", "postgresql://localhost/x", file.toString());
        assertThat(dbWithoutTrace.exitCode()).isEqualTo(2);
        assertThat(dbWithoutTrace.err()).contains("are for --trace");
    }

    @io.zerolock.testing.PostgresTest(versions = 18)
    void trace_on_a_server_you_give_uses_a_scratch_database_and_drops_it(io.zerolock.testing.TestDatabase db)
            throws Exception {
        db.execute("CREATE TABLE mine (id int)");
        Path file = dir.resolve("V1__a.sql");
        Files.writeString(file, "CREATE TABLE mine (id int, v varchar(10));\nALTER TABLE mine ADD CONSTRAINT c CHECK "
                + "(id > 0) NOT VALID;\n");
        Path second = dir.resolve("V2__b.sql");
        Files.writeString(second, "SET lock_timeout = '1s';\nALTER TABLE mine ALTER COLUMN v TYPE varchar(20);\n");
        Cli cli = Cli.run("check", "--trace", "-d", CommandLineTest.uri(db), file.toString(), second.toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("traced on PostgreSQL 18.").contains("No findings.");
        assertThat(db.queryLong("SELECT count(*) FROM pg_database WHERE datname LIKE 'zerolock\\_trace\\_%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'mine'"))
                .as("the given database is untouched").isOne();
    }

    @io.zerolock.testing.PostgresTest(versions = 14)
    void trace_on_a_server_without_a_version_checks_for_that_servers_version(io.zerolock.testing.TestDatabase db)
            throws Exception {
        Path file = dir.resolve("V1__a.sql");
        Files.writeString(file, "SET lock_timeout = '1s';\nCREATE TABLE t (id int);\n");
        Cli cli = Cli.run("check", "--trace", "-d", CommandLineTest.uri(db), file.toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("rules for PostgreSQL 14").contains("traced on PostgreSQL 14.");
    }

    @Test
    void a_byte_order_mark_and_a_latin_1_file_are_read_and_every_file_is_still_checked() throws Exception {
        Path db = Files.createDirectories(dir.resolve("enc"));
        Files.write(db.resolve("V1__bom.sql"), ("\uFEFFCREATE INDEX i1 ON orders (a);\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(db.resolve("V2__latin1.sql"), ("-- caf\u00e9\nCREATE INDEX i2 ON orders (b);\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Files.writeString(db.resolve("V3__plain.sql"), "CREATE INDEX i3 ON orders (c);\n");
        Cli cli = Cli.run("check", db.toString());
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
        assertThat(cli.out()).contains("V1__bom.sql:1:1  error  ZL001").contains("V2__latin1.sql:2:1  error  ZL001")
                .contains("V3__plain.sql:1:1  error  ZL001").contains("V2__latin1.sql:1:1  warning")
                .contains("not valid UTF-8: read as Latin-1");
    }

    @Test
    void placeholders_are_substituted_and_a_file_mostly_unread_says_so() throws Exception {
        Path db = Files.createDirectories(dir.resolve("tpl"));
        Files.writeString(db.resolve("V1__tpl.sql"), "CREATE INDEX i ON ${schema}.orders (a);\n");
        Files.writeString(db.resolve("V2__go.sql"), "ALTER TABLE {{ .Table }} ADD COLUMN x int;\n"
                + "CREATE TABLE {{ .Other }} (id int);\nDELETE {{ .Table }};\n");
        Cli substituted = Cli.run("check", "-Pschema=app", db.toString());
        assertThat(substituted.out()).contains("V1__tpl.sql:1:1  error  ZL001").contains("app.orders")
                .contains("V2__go.sql:1:1  warning").contains("3 of 3 statements were not recognised");
        Cli missing = Cli.run("check", db.toString());
        assertThat(missing.out()).contains("placeholders without a value, left as written: schema");
        Files.writeString(dir.resolve(".zl.toml"), "[placeholders]\nschema = \"billing\"\n");
        Cli configured = Cli.run("check", "--config", dir.resolve(".zl.toml").toString(), db.toString());
        assertThat(configured.out()).contains("billing.orders");
    }

    @Test
    void unknown_rule_ids_config_keys_and_empty_directories_are_usage_errors() throws Exception {
        Path db = migrations();
        Cli exclude = Cli.run("check", "--exclude", "ZL999", db.toString());
        assertThat(exclude.exitCode()).isEqualTo(2);
        assertThat(exclude.err()).contains("unknown rule id ZL999; known: ZL001, ZL002");
        Path ignored = dir.resolve("V1__ignored.sql");
        Files.writeString(ignored, "-- zerolock:ignore ZL0001 typo\nCREATE INDEX i ON orders (a);\n");
        Cli ignore = Cli.run("check", ignored.toString());
        assertThat(ignore.exitCode()).isEqualTo(2);
        assertThat(ignore.err()).contains(ignored + ":1: -- zerolock:ignore: unknown rule id ZL0001");
        Files.writeString(dir.resolve("bad.toml"), "pg-version = 16\npg_version = 15\n");
        Cli key = Cli.run("check", "--config", dir.resolve("bad.toml").toString(), db.toString());
        assertThat(key.exitCode()).isEqualTo(2);
        assertThat(key.err()).contains("unknown key \\\"pg_version\\\" (line 2)").contains("known keys: pg-version")
                .doesNotContain("io.zerolock");
        Files.writeString(dir.resolve("sev.toml"), "[severity]\nZL1 = \"error\"\n");
        Cli severity = Cli.run("check", "--config", dir.resolve("sev.toml").toString(), db.toString());
        assertThat(severity.exitCode()).isEqualTo(2);
        assertThat(severity.err()).contains("unknown rule id ZL1");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("README.md"), "no sql here");
        Cli nothing = Cli.run("check", empty.toString());
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("no migrations to check");
    }

    @Test
    void text_output_explains_each_rule_once_folds_no_lock_timeout_per_file_and_sums_up() throws Exception {
        Path db = Files.createDirectories(dir.resolve("many"));
        Files.writeString(db.resolve("V1__a.sql"), "ALTER TABLE orders DROP COLUMN a;\nALTER TABLE orders DROP COLUMN b;\n"
                + "ALTER TABLE customers RENAME COLUMN c TO d;\nCREATE INDEX i1 ON orders (x);\n");
        Files.writeString(db.resolve("V2__b.sql"), "CREATE INDEX i2 ON orders (y);\nTRUNCATE audit;\n");
        Cli cli = Cli.run("check", db.toString());
        String out = cli.out();
        // three ZL022 of V1 in one block, the remedy once
        assertThat(out).contains(db.resolve("V1__a.sql") + ":1:1  warning  ZL022 no-lock-timeout, 3 statements of this "
                + "file").contains("  line 3: ALTER TABLE customers RENAME COLUMN c TO d;");
        assertThat(count(out, "SET lock_timeout = '1s';  -- before the statement")).isEqualTo(2); // V1's block, V2's
        // each explanation once, however many findings
        assertThat(count(out, "why: CREATE INDEX without CONCURRENTLY")).isOne();
        assertThat(count(out, "why: Dropping a column or table")).isOne();
        assertThat(out).contains("ZL016 drop-column-or-table (compatibility)").contains("ZL028 truncate (data)")
                .contains("By rule:\n").contains("  ZL001 create-index-not-concurrently: 2")
                .contains("By file:\n").contains("  " + db.resolve("V2__b.sql") + ": 1 error, 2 warnings");

        Cli locksOnly = Cli.run("check", "--category", "locks", db.toString());
        assertThat(locksOnly.out()).contains("ZL001").contains("ZL022").doesNotContain("ZL016").doesNotContain("ZL015")
                .doesNotContain("ZL028");
        Cli compatibility = Cli.run("check", "--category", "compatibility,data", "--fail-on", "never", db.toString());
        assertThat(compatibility.out()).contains("ZL016").contains("ZL015").contains("ZL028").doesNotContain("ZL001");
        assertThat(Cli.run("check", "--category", "speed", db.toString()).exitCode()).isEqualTo(2);

        JsonNode sarif = new ObjectMapper().readTree(Cli.run("check", "--format", "sarif", db.toString()).out());
        JsonNode rules = sarif.at("/runs/0/tool/driver/rules");
        for (JsonNode rule : rules) {
            assertThat(rule.get("helpUri").asText()).endsWith("#" + rule.get("id").asText().toLowerCase());
        }
        assertThat(rules.get(15).at("/properties/tags/0").asText()).isEqualTo("compatibility"); // ZL016
        JsonNode json = new ObjectMapper().readTree(Cli.run("check", "--format", "json", db.toString()).out());
        assertThat(json.get("findings")).anySatisfy(f -> assertThat(f.get("category").asText()).isEqualTo("data"));
    }

    @Test
    void a_pull_request_check_reads_every_file_and_reports_only_the_new_or_changed_ones() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path db = Files.createDirectories(repo.resolve("db"));
        Files.writeString(db.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, v varchar(10));\n");
        Files.writeString(db.resolve("V2__old.sql"), "CREATE INDEX old_idx ON orders (v);\n");
        git(repo, "init", "-q");
        git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
        git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "base");
        // the pull request: one new file, and V2 is not touched
        Files.writeString(db.resolve("V3__new.sql"), "CREATE INDEX new_idx ON orders (id);\n"
                + "ALTER TABLE orders ALTER COLUMN v TYPE varchar(20);\n");
        Cli cli = Cli.run("check", "--changed-since", "HEAD", "--format", "github", db.toString());
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(3);
        assertThat(cli.out()).contains("V3__new.sql,line=1").doesNotContain("V2__old.sql")
                // read as history all the same: V1's varchar(10) makes the widening safe
                .doesNotContain("ZL014");
        Cli explicit = Cli.run("check", "--new", db.resolve("V2__old.sql").toString(), db.toString());
        assertThat(explicit.out()).contains("V2__old.sql:1:1").doesNotContain("V3__new.sql:1");
        Cli badRef = Cli.run("check", "--changed-since", "no-such-branch", db.toString());
        assertThat(badRef.exitCode()).isEqualTo(2);
        assertThat(badRef.err()).contains("--changed-since: git diff");
    }

    private static void git(Path repo, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /** The structure SARIF 2.1.0 requires (sarif-schema-2.1.0.json), and what code-scanning UIs read. */
    private static void assertSarif(JsonNode sarif) {
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("$schema").asText()).endsWith("sarif-2.1.0.json");
        assertThat(sarif.get("runs").isArray()).isTrue();
        JsonNode run = sarif.get("runs").get(0);
        JsonNode driver = run.at("/tool/driver");
        assertThat(driver.get("name").asText()).isEqualTo("zerolock");
        JsonNode rules = driver.get("rules");
        assertThat(rules.size()).isEqualTo(33); // 30 static rules, 3 made by the trace
        for (JsonNode rule : rules) {
            assertThat(rule.get("id").asText()).matches("ZL\\d{3}");
            assertThat(rule.at("/shortDescription/text").asText()).isNotBlank();
            assertThat(rule.at("/defaultConfiguration/level").asText()).isIn("none", "note", "warning", "error");
        }
        for (JsonNode result : run.get("results")) {
            assertThat(result.get("message").get("text").asText()).isNotBlank();
            assertThat(result.get("level").asText()).isIn("none", "note", "warning", "error");
            assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText())
                    .isEqualTo(result.get("ruleId").asText());
            JsonNode location = result.at("/locations/0/physicalLocation");
            assertThat(location.at("/artifactLocation/uri").asText()).endsWith(".sql");
            assertThat(location.at("/region/startLine").asInt()).isPositive();
            assertThat(location.at("/region/startColumn").asInt()).isPositive();
            assertThat(Set.of("ruleId", "ruleIndex", "level", "message", "locations"))
                    .containsAll(List.copyOf(iterable(result)));
        }
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

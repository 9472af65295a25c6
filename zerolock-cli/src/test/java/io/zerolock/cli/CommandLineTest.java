package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void every_command_has_help_with_examples() {
        for (String[] args : new String[][] {{"--help"}, {"indexes", "--help"}, {"version", "--help"},
                {"demo", "--help"}, {"reindex", "--help"}, {"cleanup", "--help"}, {"resume", "--help"}}) {
            Cli cli = Cli.run(args);
            assertThat(cli.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(cli.out()).as(String.join(" ", args)).contains("Usage: zerolock").contains("Examples:");
        }
    }

    @Test
    void bad_usage_exits_2() {
        Cli unknown = Cli.run("indexes", "--bogus");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--bogus'").contains("Try 'zerolock indexes --help'");
        assertThat(Cli.run("no-such-command").exitCode()).isEqualTo(2);
        assertThat(Cli.run("indexes", "--format", "xml").exitCode()).isEqualTo(2);
        assertThat(Cli.run("indexes", "--help").out()).contains("--format=text|json");
        assertThat(Cli.run("--log-format", "xml", "version").exitCode()).isEqualTo(2);
    }

    @Test
    void prints_the_tool_version() {
        Cli cli = Cli.run("version");
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).startsWith("zerolock 0.").contains("(Java 17").doesNotContain("server:");
    }

    @PostgresTest
    void prints_the_server_version_with_connection_options(TestDatabase db) {
        Cli cli = Cli.run("version", "-h", "localhost", "-p", String.valueOf(db.port()), "-U", "postgres", "-d",
                db.name());
        assertThat(cli.exitCode()).isZero();
        assertThat(cli.out()).contains("server: PostgreSQL " + db.majorVersion() + ".")
                .contains("database " + db.name()).contains("user postgres");
    }

    @PostgresTest
    void lists_indexes_with_constraints_foreign_keys_and_online_verdicts(TestDatabase db) {
        db.execute("""
                CREATE SCHEMA "Sales EU";
                CREATE TABLE "Sales EU".customers (id bigint PRIMARY KEY, email text);
                CREATE TABLE "Sales EU".orders (id bigint PRIMARY KEY,
                    customer_id bigint REFERENCES "Sales EU".customers);
                CREATE TABLE "Sales EU".notes (customer_id bigint);
                ALTER TABLE "Sales EU".notes ADD CONSTRAINT notes_fk FOREIGN KEY (customer_id)
                    REFERENCES "Sales EU".customers NOT VALID;
                CREATE TABLE "Sales EU".slots (r int4range, EXCLUDE USING gist (r WITH &&));
                CREATE TABLE "Sales EU".rooms (r int4range, EXCLUDE USING gist (r WITH &&));
                CREATE TABLE public.other (id int PRIMARY KEY);
                """);
        Cli cli = Cli.run("indexes", "-d", uri(db), "--schema", "\"Sales EU\"");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("INDEX", "TABLE", "SIZE", "STATE", "CONSTRAINT", "REFERENCED BY",
                "ONLINE REBUILD");
        String pkLine = line(cli.out(), "\"Sales EU\".customers_pkey");
        assertThat(pkLine).contains("\"Sales EU\".customers").contains("valid").contains("PRIMARY KEY customers_pkey")
                .contains("\"Sales EU\".orders.orders_customer_id_fkey")
                .contains("\"Sales EU\".notes.notes_fk (not valid)");
        assertThat(pkLine).contains(db.majorVersion() >= 12 ? "native, swap" : "swap [");
        assertThat(line(cli.out(), "slots_r_excl")).contains("EXCLUDE slots_r_excl").contains("no [");
        // one footnote per distinct reason, however many rows point at it (two exclusion constraints here)
        assertThat(line(cli.out(), "rooms_r_excl")).contains("no [").endsWith(line(cli.out(), "slots_r_excl")
                .substring(line(cli.out(), "slots_r_excl").lastIndexOf("no [")));
        assertThat(cli.out().lines().filter(l -> l.contains("index of an exclusion constraint")).count()).isOne();
        assertThat(cli.out()).contains("index of an exclusion constraint").doesNotContain("public.other");

        Cli table = Cli.run("indexes", "-d", uri(db), "--table", "\"Sales EU\".orders");
        assertThat(table.out()).contains("orders_pkey").doesNotContain("customers_pkey");
        Cli tableInSchema = Cli.run("indexes", "-d", uri(db), "--schema", "\"Sales EU\"", "--table", "orders");
        assertThat(tableInSchema.out()).contains("orders_pkey").doesNotContain("customers_pkey");
    }

    @PostgresTest(versions = 18)
    void lists_indexes_as_json(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE parent (id int PRIMARY KEY)", "CREATE TABLE child (p int REFERENCES parent)");
        Cli cli = Cli.run("indexes", "-d", uri(db), "--format", "json");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        JsonNode list = new ObjectMapper().readTree(cli.out());
        assertThat(list).hasSize(1);
        JsonNode pk = list.get(0);
        assertThat(pk.get("index").asText()).isEqualTo("parent_pkey");
        assertThat(pk.get("valid").asBoolean()).isTrue();
        assertThat(pk.get("size_bytes").asLong()).isPositive();
        assertThat(pk.get("constraint").get("type").asText()).isEqualTo("PRIMARY KEY");
        assertThat(pk.get("referenced_by").get(0).get("table").asText()).isEqualTo("child");
        assertThat(pk.get("online_rebuild").get("possible").asBoolean()).isTrue();
        assertThat(pk.get("online_rebuild").get("strategies").toString()).isEqualTo("[\"native\",\"swap\"]");
    }

    @PostgresTest(versions = 18)
    void wrong_names_exit_2_with_the_candidates(TestDatabase db) {
        db.execute("CREATE SCHEMA a", "CREATE TABLE a.orders (id int)");
        Cli cli = Cli.run("indexes", "-d", uri(db), "--table", "orders");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("level=error").contains("table orders does not exist")
                .contains("did you mean a.orders?");
        assertThat(Cli.run("indexes", "-d", uri(db), "--schema", "nope").exitCode()).isEqualTo(2);
    }

    @Test
    void an_unreachable_server_exits_1() {
        Cli cli = Cli.run("indexes", "-d", "postgresql://nobody@localhost:1/none");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.err()).contains("cannot connect to database \\\"none\\\" on localhost:1");
    }

    @PostgresTest(versions = 18)
    void logs_one_event_per_line_as_logfmt_or_json(TestDatabase db) throws Exception {
        Cli logfmt = Cli.run("indexes", "-d", uri(db));
        assertThat(logfmt.err()).containsPattern("time=\\S+ level=info msg=\"connecting to database\" dbname="
                + db.name() + " host=localhost port=" + db.port() + " user=postgres");

        Cli json = Cli.run("indexes", "-d", uri(db), "--log-format", "json");
        String first = json.err().lines().findFirst().orElseThrow();
        JsonNode event = new ObjectMapper().readTree(first);
        assertThat(event.get("msg").asText()).isEqualTo("connecting to database");
        assertThat(event.get("dbname").asText()).isEqualTo(db.name());

        assertThat(Cli.run("indexes", "-d", uri(db), "--quiet").err()).isEmpty();
    }

    @PostgresTest(versions = 18)
    void resume_says_when_there_is_nothing_to_resume_and_creates_nothing(TestDatabase db) {
        Cli cli = Cli.run("resume", "-d", uri(db));
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("Nothing to resume.\n");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();
    }

    @PostgresTest(versions = 18)
    void a_catalog_read_behind_an_exclusive_lock_fails_clearly_instead_of_hanging(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE busy (id int PRIMARY KEY)");
        try (java.sql.Connection holder = db.connect(); java.sql.Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE"); // what VACUUM FULL holds
            String pid = db.queryString("SELECT pid FROM pg_locks WHERE relation = 'busy'::regclass "
                    + "AND mode = 'AccessExclusiveLock' AND granted");
            Cli cli = Cli.run("indexes", "-d", uri(db));
            statement.execute("ROLLBACK");
            assertThat(cli.exitCode()).as(cli.err()).isEqualTo(1);
            assertThat(cli.err()).contains("reading the catalog waited too long for a lock")
                    .contains("pid " + pid).contains("AccessExclusiveLock on busy").contains("nothing was changed");
        }
    }

    @PostgresTest(versions = 18)
    void connects_through_a_socket_directory_like_psql(TestDatabase db) {
        String directory = db.queryString("SELECT split_part(current_setting('unix_socket_directories'), ',', 1)");
        Cli cli = Cli.run("version", "-h", directory, "-p", String.valueOf(db.port()), "-U", "postgres", "-d",
                db.name());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("server: PostgreSQL " + db.majorVersion() + ".");
        assertThat(cli.err()).contains("host=" + directory);
    }

    static String uri(TestDatabase db) {
        return "postgresql://postgres@localhost:" + db.port() + "/" + db.name();
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + containing + " in\n" + text));
    }
}

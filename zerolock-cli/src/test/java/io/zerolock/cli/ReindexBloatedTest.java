package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReindexBloatedTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Two bloated indexes of different sizes, one too small to matter, one healthy. */
    private static void indexes(TestDatabase db) {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, v text)",
                "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 60000) g",
                "CREATE INDEX big_v ON big (v)",
                "DELETE FROM big WHERE id % 10 < 6",
                "CREATE TABLE tiny (id int PRIMARY KEY)", "INSERT INTO tiny SELECT generate_series(1, 2000)",
                "DELETE FROM tiny WHERE id % 10 < 8",
                "CREATE TABLE healthy (id int PRIMARY KEY)", "INSERT INTO healthy SELECT generate_series(1, 30000)",
                "VACUUM ANALYZE big, tiny, healthy");
    }

    @PostgresTest
    void a_dry_run_ranks_every_index_and_says_why_each_is_in_or_out(TestDatabase db) throws Exception {
        indexes(db);
        long before = db.queryLong("SELECT 'big_v'::regclass::oid");
        Cli run = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-size", "200kB", "--max", "1",
                "--dry-run", "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode ranking = JSON.readTree(run.out()).get("ranking");
        assertThat(reason(ranking, "public.big_v")).isEqualTo("true: gives back about");
        assertThat(reason(ranking, "public.big_pkey")).isEqualTo("false: beyond --max 1 for this run");
        assertThat(reason(ranking, "public.tiny_pkey")).startsWith("false: ").contains("under --min-size 200 kB");
        assertThat(reason(ranking, "public.healthy_pkey")).startsWith("false: ").contains("under --min-bloat 30%");
        assertThat(db.queryLong("SELECT 'big_v'::regclass::oid")).isEqualTo(before);

        Cli text = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-size", "200kB", "--dry-run");
        assertThat(text.exitCode()).as(text.all()).isZero();
        assertThat(text.out()).contains("biggest reclaim first").contains("Dry run: nothing was changed.");
    }

    @PostgresTest
    void rebuilds_the_chosen_ones_then_leaves_them_alone_for_the_cooldown(TestDatabase db) throws Exception {
        indexes(db);
        long sizeBefore = db.queryLong("SELECT pg_relation_size('big_v')");
        Cli run = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-size", "200kB", "--max", "1",
                "--format", "json");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.get("outcomes")).hasSize(1);
        assertThat(report.get("outcomes").get(0).get("index").asText()).isEqualTo("public.big_v");
        assertThat(report.get("outcomes").get(0).get("status").asText()).isEqualTo("done");
        assertThat(db.queryLong("SELECT pg_relation_size('big_v')")).isLessThan(sizeBefore * 6 / 10);

        Cli again = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-size", "200kB", "--max", "1",
                "--min-bloat", "0%", "--format", "json");
        assertThat(again.exitCode()).as(again.all()).isZero();
        JsonNode ranking = JSON.readTree(again.out()).get("ranking");
        assertThat(reason(ranking, "public.big_v")).startsWith("false: rebuilt ").endsWith("within --cooldown 7d");
        assertThat(JSON.readTree(again.out()).get("outcomes").get(0).get("index").asText())
                .isEqualTo("public.big_pkey");
    }

    @PostgresTest(versions = {14})
    void outside_its_window_it_starts_nothing_and_says_when_the_window_opens(TestDatabase db) throws Exception {
        indexes(db);
        // a window on a day three days from now (UTC): closed whatever the time
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(3).getDayOfWeek()
                .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH);
        long before = db.queryLong("SELECT 'big_v'::regclass::oid");
        Cli run = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-size", "200kB", "--window",
                day + " 01:00-05:00 UTC");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("Window: closed; it opens next at").contains("public.big_v: the window is closed");
        assertThat(db.queryLong("SELECT 'big_v'::regclass::oid")).isEqualTo(before);
    }

    @PostgresTest(versions = {14})
    void refuses_options_that_make_no_sense(TestDatabase db) {
        Cli named = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "some_index");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.err()).contains("--bloated chooses the indexes itself");
        Cli alone = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--table", "t", "--max", "3");
        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("--max only goes with --bloated");
        Cli share = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--min-bloat", "130%");
        assertThat(share.exitCode()).isEqualTo(2);
        assertThat(share.err()).contains("--min-bloat takes a share like 30%");
        Cli window = Cli.run("reindex", "-d", CommandLineTest.uri(db), "--bloated", "--window", "Sat 01:00-05:00 Mars");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("unknown time zone 'Mars'");
    }

    /** "chosen: reason" of one index in the ranking (reasons that carry figures cut to their stable start). */
    private static String reason(JsonNode ranking, String name) {
        for (JsonNode item : ranking) {
            if (item.get("name").asText().equals(name)) {
                String reason = item.get("reason").asText();
                return item.get("chosen").asBoolean() + ": " + (reason.startsWith("gives back about")
                        ? "gives back about" : reason);
            }
        }
        throw new AssertionError(name + " not in " + ranking);
    }
}

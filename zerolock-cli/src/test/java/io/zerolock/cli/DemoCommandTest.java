package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    private static final List<String> ROWS = List.of("duration", "longest stall (no transaction done)", "max latency",
            "p99 latency", "throughput during", "failed transactions", "index size before → after",
            "sessions blocked by its locks", "longest wait for its locks");

    /** The form of each row's cells, in the order of {@link #ROWS}. */
    private static final List<String> FORMATS = List.of("\\d+\\.\\d+ s", "\\d+ ms", "\\d+ ms", "\\d+ ms",
            "\\d+ tx/s", "\\d+", "\\d+ (bytes|kB|MB) → \\d+ (bytes|kB|MB)", "\\d+", "\\d+ ms( \\(.+\\))?");

    @Test
    void shows_the_outage_of_a_plain_reindex_next_to_zerolock_in_numbers_and_a_chart() throws Exception {
        Path report = Path.of("target", "demo-report.html");
        Files.deleteIfExists(report);
        Cli cli = Cli.run("demo", "--rows", "20000", "--strategy", "all", "--no-migration", "--report",
                report.toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("zerolock demo: PostgreSQL 18.")
                .contains("$ zerolock indexes --schema shop")
                .contains("shop.orders.orders_customer_id_fkey")
                .contains("shop.invoices.invoices_customer_fk")
                .contains("index of an exclusion constraint")
                .contains("REINDEX INDEX shop.customers_pkey, under 200 tx/s")
                .contains("zerolock reindex shop.customers_pkey --strategy native")
                .contains("zerolock reindex shop.customers_pkey --strategy swap");
        String header = cli.out().lines().filter(l -> l.trim().startsWith("REINDEX INDEX") && l.contains("zerolock "))
                .findFirst().orElseThrow(() -> new AssertionError("no table header in\n" + cli.out()));
        assertThat(header).contains("REINDEX INDEX", "zerolock native", "zerolock swap");
        // every row has a value of the right form for each of the three runs
        for (int i = 0; i < ROWS.size(); i++) {
            List<String> cells = cells(line(cli.out(), ROWS.get(i)));
            assertThat(cells).as(ROWS.get(i)).hasSize(4);
            String format = FORMATS.get(i);
            assertThat(cells.subList(1, 4)).as(ROWS.get(i)).allMatch(cell -> cell.matches(format));
        }
        // the last two columns are zerolock's: no failed application transaction, and nobody waited on its locks
        List<String> failed = cells(line(cli.out(), "failed transactions"));
        assertThat(failed.subList(failed.size() - 2, failed.size())).containsExactly("0", "0");
        List<String> blocked = cells(line(cli.out(), "sessions blocked by its locks"));
        assertThat(blocked.subList(blocked.size() - 2, blocked.size())).containsExactly("0", "0");
        // every rebuild shrank the bloated index
        for (String sizes : cells(line(cli.out(), "index size before → after")).subList(1, 4)) {
            String[] beforeAfter = sizes.split(" → ");
            assertThat(bytes(beforeAfter[1])).as(sizes).isLessThan(bytes(beforeAfter[0]));
        }
        assertThat(cli.out()).contains("Report with a latency chart per run: " + report.toAbsolutePath());

        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<table>").contains("<svg").contains("</svg>")
                .contains("zerolock native").contains("zerolock swap").contains("longest stall (no transaction done)")
                .contains(">build<").contains(">swap<").contains(">reindex<")
                .doesNotContain("<script").doesNotContain("http://fonts").doesNotContain("https://");
        assertThat(html.split("<svg", -1)).hasSize(4);
    }

    @Test
    void second_act_applies_a_feature_migration_as_written_then_with_zerolock_apply() throws Exception {
        Path report = Path.of("target", "demo-migration-report.html");
        Files.deleteIfExists(report);
        Cli cli = Cli.run("demo", "--rows", "20000", "--report", report.toString());
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        String act = cli.out().substring(cli.out().indexOf("Act 2: a feature migration"));
        assertThat(act).contains("psql --single-transaction -f V2__feature.sql, under 200 tx/s")
                .contains("zerolock apply V2__feature.sql, under 200 tx/s");
        String header = act.lines().filter(l -> l.contains("migration as written") && l.contains("zerolock apply"))
                .findFirst().orElseThrow(() -> new AssertionError("no table header in\n" + act));
        assertThat(header.indexOf("migration as written")).isLessThan(header.indexOf("zerolock apply"));
        // zerolock apply's column: no failed application transaction, nobody waited on its locks
        List<String> failed = cells(line(act, "failed transactions"));
        assertThat(failed.get(failed.size() - 1)).isEqualTo("0");
        List<String> blocked = cells(line(act, "sessions blocked by its locks"));
        assertThat(blocked.get(blocked.size() - 1)).isEqualTo("0");
        assertThat(cli.err()).contains("msg=\"migration applied\" file=V2__feature.sql");
        String html = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(html).contains("Act 1: rebuilding shop.customers_pkey").contains("Act 2: a feature migration")
                .contains("zerolock apply");
    }

    @Test
    void runs_any_bundled_major_version() {
        Cli cli = Cli.run("demo", "--rows", "2000", "--pg-version", "11", "--no-outage", "--report",
                "target/demo-11.html");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("zerolock demo: PostgreSQL 11.")
                // PostgreSQL 11 has no REINDEX CONCURRENTLY: swap is the only online strategy
                .contains("native needs PostgreSQL 12+")
                .contains("zerolock swap").doesNotContain("REINDEX INDEX shop");
        assertThat(cli.err()).contains("msg=done index=shop.customers_pkey strategy=swap");
    }

    @Test
    void refuses_what_it_cannot_do() {
        Cli nine = Cli.run("demo", "--pg-version", "9");
        assertThat(nine.exitCode()).isEqualTo(2);
        assertThat(nine.err()).contains("PostgreSQL 9 cannot be run by zerolock; major versions 11 to 18 can "
                + "(bundled: [11, 14, 18]");
        Cli nativeOn11 = Cli.run("demo", "--pg-version", "11", "--strategy", "native");
        assertThat(nativeOn11.exitCode()).isEqualTo(2);
        assertThat(nativeOn11.err()).contains("--strategy native needs PostgreSQL 12+");
        Cli both = Cli.run("demo", "--pg-version", "11", "-d", "postgresql://localhost/app");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--pg-version chooses the embedded server");
    }

    @PostgresTest(versions = 18)
    void runs_on_a_database_you_give_in_a_schema_of_its_own_dropped_afterwards(TestDatabase db) {
        db.execute("CREATE TABLE mine (id int)");
        Cli cli = Cli.run("demo", "-d", CommandLineTest.uri(db), "--rows", "4000", "--report", "target/demo-db.html");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("database " + db.name()).contains("schema zerolock_demo, dropped at the end")
                .contains("$ zerolock indexes --schema zerolock_demo")
                .contains("rebuilding the same data for the next run")
                .contains("REINDEX INDEX zerolock_demo.customers_pkey");
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock_demo'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'mine'")).isOne();

        db.execute("CREATE SCHEMA zerolock_demo", "CREATE TABLE zerolock_demo.precious (id int)");
        Cli refused = Cli.run("demo", "-d", CommandLineTest.uri(db), "--rows", "4000", "--no-outage");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("schema zerolock_demo already exists").contains("not made by zerolock demo");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'precious'")).isOne();
    }

    private static String line(String text, String startingWith) {
        return text.lines().filter(l -> l.startsWith(startingWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + startingWith + " in\n" + text));
    }

    private static long bytes(String size) {
        String[] parts = size.split(" ");
        long unit = switch (parts[1]) {
            case "kB" -> 1024;
            case "MB" -> 1024 * 1024;
            default -> 1;
        };
        return Long.parseLong(parts[0]) * unit;
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split("\\s{2,}")).toList();
    }
}

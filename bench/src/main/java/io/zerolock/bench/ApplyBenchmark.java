package io.zerolock.bench;

import io.zerolock.ConnectionTarget;
import io.zerolock.cli.demo.Comparison;
import io.zerolock.cli.demo.ComparisonTable;
import io.zerolock.cli.demo.Contender;
import io.zerolock.cli.demo.HtmlReport;
import io.zerolock.cli.demo.RunResult;
import io.zerolock.cli.load.Workload;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.Watchdog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one typical feature migration three ways, each on an identical copy of two busy tables under the
 * same open-loop load: as written, statement by statement, as psql runs a file; the safe sequence a careful
 * engineer writes by hand (CONCURRENTLY, NOT VALID then VALIDATE, USING INDEX, lock_timeout); and
 * {@code zerolock apply} of the file as written. Reports what the application saw during each.
 */
public final class ApplyBenchmark {

    private static final String SCHEMA = "\"zerolock_bench\"";

    /** The migration as a developer writes it. */
    static String migration(int major) {
        return """
                CREATE INDEX orders_status_total ON %1$s.orders (status, total);
                ALTER TABLE %1$s.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
                ALTER TABLE %1$s.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id)
                    REFERENCES %1$s.customers (id);
                ALTER TABLE %1$s.orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
                """.formatted(SCHEMA) + (major >= 12
                        ? "ALTER TABLE %1$s.customers ALTER COLUMN country SET NOT NULL;\n".formatted(SCHEMA) : "")
                + "CREATE INDEX orders_created ON %1$s.orders (created_at);\n".formatted(SCHEMA);
    }

    /** The same change as the careful hand-written sequence: each statement run on its own, in order. */
    static List<String> handWritten(int major) {
        String s = SCHEMA;
        List<String> sql = new ArrayList<>(List.of(
                "SET lock_timeout = '1s'",
                "CREATE INDEX CONCURRENTLY orders_status_total ON " + s + ".orders (status, total)",
                "CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON " + s + ".customers (email)",
                "ALTER TABLE " + s + ".customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX "
                        + "customers_email_key",
                "ALTER TABLE " + s + ".orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES "
                        + s + ".customers (id) NOT VALID",
                "ALTER TABLE " + s + ".orders VALIDATE CONSTRAINT orders_customer_fk",
                "ALTER TABLE " + s + ".orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID",
                "ALTER TABLE " + s + ".orders VALIDATE CONSTRAINT orders_total_positive"));
        if (major >= 12) {
            sql.addAll(List.of(
                    "ALTER TABLE " + s + ".customers ADD CONSTRAINT country_not_null CHECK (country IS NOT NULL) "
                            + "NOT VALID",
                    "ALTER TABLE " + s + ".customers VALIDATE CONSTRAINT country_not_null",
                    "ALTER TABLE " + s + ".customers ALTER COLUMN country SET NOT NULL",
                    "ALTER TABLE " + s + ".customers DROP CONSTRAINT country_not_null"));
        }
        sql.add("CREATE INDEX CONCURRENTLY orders_created ON " + s + ".orders (created_at)");
        return sql;
    }

    public static void main(String[] args) throws Exception {
        BenchRun.main("bench/apply", args, 2_000_000, 300, "zerolock-bench-apply-report.html", ApplyBenchmark::run);
    }

    private static void run(BenchRun bench) throws Exception {
        long rows = bench.rows();
        int rate = bench.rate();
        int major = bench.major();
        String version = bench.version();
        Path report = bench.report();
        bench.build(ApplyBenchmark::build, String.format("%,d customers and %,d orders", rows, rows));

        String migration = migration(major);
        List<Contender> contenders = List.of(asWritten(migration), handWritten(handWritten(major)),
                Contender.zerolockApply(migration, "zerolock_bench_state"));
        Comparison.Stage stage = bench.copies(ApplyBenchmark::build);
        Workload workload = new Workload("UPDATE " + SCHEMA + ".customers SET visits = visits + 1 WHERE id = ?",
                "INSERT INTO " + SCHEMA + ".orders (customer_id, status, total) VALUES (?, 'open', 9.99)",
                "SELECT email, visits FROM " + SCHEMA + ".customers WHERE id = ?", rows, 1);
        List<RunResult> runs = Comparison.run(contenders, stage, workload,
                new Comparison.Load(rate, 8, 0.5, Duration.ofSeconds(1)), SCHEMA + ".orders_status_total",
                "V2__feature.sql", System.err::println);
        System.out.printf("PostgreSQL %s, %,d customers and %,d orders, load %d tx/s (half writes: update a "
                + "customer + insert an order; half point reads), 8 connections%n%n", version, rows, rows, rate);
        System.out.print(ComparisonTable.markdown(runs));
        RunResult hand = runs.get(1);
        RunResult zerolock = runs.get(2);
        System.out.println();
        System.out.printf("zerolock apply vs the hand-written safe sequence: longest gap %d ms vs %d ms (%.2fx), "
                + "duration %.2fx%n", zerolock.stats().longestGapNanos() / 1_000_000,
                hand.stats().longestGapNanos() / 1_000_000,
                BenchRun.ratio(zerolock.stats().longestGapNanos(), hand.stats().longestGapNanos()),
                BenchRun.ratio(zerolock.stats().endNanos() - zerolock.stats().startNanos(),
                        hand.stats().endNanos() - hand.stats().startNanos()));
        Files.writeString(report, HtmlReport.render("zerolock apply benchmark", "PostgreSQL " + version + ", "
                + String.format("%,d", rows) + " customers and orders, load " + rate + " tx/s", runs),
                StandardCharsets.UTF_8);
        System.err.println("report: " + report.toAbsolutePath());
    }

    /** The file as psql runs it: statement after statement, each its own transaction, no lock_timeout. */
    private static Contender asWritten(String migration) {
        return new Contender("psql, as written", "psql -f V2__feature.sql", (target, indexSql, indexName,
                timeline) -> run(target, io.zerolock.check.lex.Splitter.split("V2__feature.sql", migration).statements()
                        .stream().map(io.zerolock.check.lex.Splitter.Statement::text).toList(), "as written",
                        timeline));
    }

    private static Contender handWritten(List<String> statements) {
        return new Contender("hand-written safe sequence", "psql -f V2__feature_safe.sql", (target, indexSql,
                indexName, timeline) -> run(target, statements, "safe sequence", timeline));
    }

    private static io.zerolock.execute.Impact run(ConnectionTarget target, List<String> statements, String step,
            io.zerolock.cli.demo.Timeline timeline) throws Exception {
        ConnectionTarget named = target.withApplicationName("zerolock-bench-" + step.replace(' ', '-'));
        try (Connection work = DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties());
                Statement statement = work.createStatement();
                Monitor monitor = new Monitor(DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties()),
                        Monitor.backendPid(work), new int[] {Monitor.backendPid(work)}, Watchdog.defaults(), step,
                        progress -> { })) {
            monitor.stepStarted(step, false);
            timeline.mark(step);
            try {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new Contender.Failed(monitor.impact(), e);
            }
            return monitor.impact();
        }
    }

    /**
     * {@code customers} and {@code orders}, {@code rows} each, loaded first and indexed after; no foreign
     * key yet (the migration adds it), {@code customers.country} nullable with a value in every row.
     */
    private static void build(ConnectionTarget target, long rows) throws SQLException {
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = admin.createStatement()) {
            sql.execute("SET maintenance_work_mem = '512MB'");
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            sql.execute("DROP SCHEMA IF EXISTS zerolock_bench_state CASCADE");
            sql.execute("CREATE SCHEMA " + SCHEMA);
            sql.execute("CREATE TABLE " + SCHEMA + ".customers (id bigint NOT NULL, email text NOT NULL, "
                    + "visits int NOT NULL DEFAULT 0, country text)");
            sql.execute("INSERT INTO " + SCHEMA + ".customers (id, email, country) SELECT g, 'c' || g || "
                    + "'@example.com', 'FR' FROM generate_series(1::bigint, " + rows + ") g");
            sql.execute("CREATE TABLE " + SCHEMA + ".orders (id bigint GENERATED BY DEFAULT AS IDENTITY, "
                    + "customer_id bigint NOT NULL, status text NOT NULL, total numeric(12, 2) NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
            sql.execute("INSERT INTO " + SCHEMA + ".orders (customer_id, status, total, created_at) SELECT "
                    + "1 + (g * 7919) % " + rows + ", CASE WHEN g % 10 = 0 THEN 'open' ELSE 'shipped' END, "
                    + "g % 500 + 0.99, now() - g * interval '1 second' FROM generate_series(1::bigint, " + rows + ") g");
            sql.execute("ALTER TABLE " + SCHEMA + ".customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id)");
            sql.execute("ALTER TABLE " + SCHEMA + ".orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id)");
            sql.execute("SELECT setval(pg_get_serial_sequence('" + SCHEMA + ".orders', 'id'), " + rows + ")");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".customers");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".orders");
        }
    }


}

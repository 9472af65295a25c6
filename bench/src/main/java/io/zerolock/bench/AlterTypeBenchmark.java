package io.zerolock.bench;

import io.zerolock.ConnectionTarget;
import io.zerolock.Zerolock;
import io.zerolock.altertype.AlterTypeOptions;
import io.zerolock.cli.demo.Comparison;
import io.zerolock.cli.demo.ComparisonTable;
import io.zerolock.cli.demo.Contender;
import io.zerolock.cli.demo.HtmlReport;
import io.zerolock.cli.demo.RunResult;
import io.zerolock.cli.load.Workload;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.Watchdog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An integer primary key that another table's foreign key references becomes bigint, three ways, each on an
 * identical copy under the same open-loop load: nothing at all for as long as zerolock takes (the noise),
 * a plain {@code ALTER TABLE ... ALTER COLUMN id TYPE bigint}, and {@code zerolock alter-type}. Reports what
 * the application saw during each, and how much more disk the database used after.
 */
public final class AlterTypeBenchmark {

    private static final String SCHEMA = "\"zerolock_bench\"";

    public static void main(String[] args) throws Exception {
        BenchRun.main("bench/alter-type", args, 2_000_000, 300, "zerolock-bench-alter-type-report.html",
                AlterTypeBenchmark::run);
    }

    private static void run(BenchRun bench) throws Exception {
        long rows = bench.rows();
        int rate = bench.rate();
        bench.build(AlterTypeBenchmark::build, String.format("%,d accounts and %,d orders", rows, rows));
        Map<String, long[]> sizes = new LinkedHashMap<>();
        long[] zerolockMillis = {5000};
        Contender zerolock = new Contender("zerolock alter-type", "zerolock alter-type accounts.id bigint",
                (target, table, column, timeline) -> sized(target, "zerolock alter-type", sizes, () -> {
                    long started = System.nanoTime();
                    try (Zerolock session = Zerolock.connect(target.withApplicationName("zerolock"))) {
                        Impact impact = session.alterType(SCHEMA + ".accounts.id", "bigint", null,
                                AlterTypeOptions.defaults().withStateSchema("zerolock_bench_state"), false,
                                new io.zerolock.ProgressListener() {
                                    @Override
                                    public void progress(io.zerolock.ProgressListener.Progress progress) {
                                        // build phases are not charted
                                    }

                                    @Override
                                    public void stepStarted(String index, String step) {
                                        timeline.mark(step);
                                    }
                                }).impact();
                        zerolockMillis[0] = (System.nanoTime() - started) / 1_000_000;
                        return impact;
                    }
                }));
        List<Contender> contenders = List.of(zerolock,
                new Contender("nothing (the noise)", "-", (target, table, column, timeline) -> sized(target,
                        "nothing (the noise)", sizes, () -> {
                            timeline.mark("idle");
                            Thread.sleep(zerolockMillis[0]);
                            return Impact.none();
                        })),
                new Contender("plain ALTER TABLE", "ALTER TABLE accounts ALTER COLUMN id TYPE bigint",
                        (target, table, column, timeline) -> sized(target, "plain ALTER TABLE", sizes,
                                () -> plainAlter(target, timeline))));
        Comparison.Stage stage = bench.copies(AlterTypeBenchmark::build);
        Workload workload = new Workload("UPDATE " + SCHEMA + ".accounts SET visits = visits + 1 WHERE id = ?",
                "INSERT INTO " + SCHEMA + ".orders (account_id, total) VALUES (?, 9.99)",
                "SELECT email, visits FROM " + SCHEMA + ".accounts WHERE id = ?", rows, 1);
        List<RunResult> runs = Comparison.run(contenders, stage, workload,
                new Comparison.Load(rate, 8, 0.5, Duration.ofSeconds(1)), SCHEMA + ".accounts", "id",
                System.err::println);
        System.out.printf("PostgreSQL %s, %,d accounts and %,d orders (orders.account_id references accounts.id), "
                + "load %d tx/s (half writes: update an account + insert an order; half point reads), "
                + "8 connections%n%n",
                bench.version(), rows, rows, rate);
        System.out.print(ComparisonTable.markdown(runs));
        System.out.println();
        sizes.forEach((name, size) -> System.out.printf("%s: database %,d MB before, %,d MB after (+%,d MB)%n", name,
                size[0] >> 20, size[1] >> 20, (size[1] - size[0]) >> 20));
        RunResult ours = runs.get(0);
        RunResult noise = runs.get(1);
        System.out.printf("zerolock alter-type vs nothing at all: longest gap %d ms vs %d ms (%.2fx, %d ms apart), "
                + "failed transactions %d%n", ours.stats().longestGapNanos() / 1_000_000,
                noise.stats().longestGapNanos() / 1_000_000,
                BenchRun.ratio(ours.stats().longestGapNanos(), noise.stats().longestGapNanos()),
                (ours.stats().longestGapNanos() - noise.stats().longestGapNanos()) / 1_000_000,
                ours.stats().failed());
        Files.writeString(bench.report(), HtmlReport.render("zerolock alter-type benchmark", "PostgreSQL "
                + bench.version() + ", " + String.format("%,d", rows) + " accounts and orders, load " + rate
                + " tx/s", runs), StandardCharsets.UTF_8);
        System.err.println("report: " + bench.report().toAbsolutePath());
    }

    @FunctionalInterface
    private interface Body {
        Impact run() throws Exception;
    }

    /** The database's size before and after a contender's run. */
    private static Impact sized(ConnectionTarget target, String name, Map<String, long[]> sizes, Body body)
            throws Exception {
        long before = size(target);
        Impact impact = body.run();
        sizes.put(name, new long[] {before, size(target)});
        return impact;
    }

    private static long size(ConnectionTarget target) throws SQLException {
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT pg_database_size(current_database())")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Impact plainAlter(ConnectionTarget target, io.zerolock.cli.demo.Timeline timeline)
            throws Exception {
        ConnectionTarget named = target.withApplicationName("zerolock-bench-plain-alter");
        try (Connection work = DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties());
                Statement statement = work.createStatement();
                Monitor monitor = new Monitor(DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties()),
                        Monitor.backendPid(work), new int[] {Monitor.backendPid(work)}, Watchdog.defaults(), "alter",
                        progress -> { })) {
            monitor.stepStarted("alter", false);
            timeline.mark("alter");
            try {
                statement.execute("ALTER TABLE " + SCHEMA + ".accounts ALTER COLUMN id TYPE bigint");
            } catch (SQLException e) {
                throw new Contender.Failed(monitor.impact(), e);
            }
            return monitor.impact();
        }
    }

    /** {@code accounts} (an integer serial key) and {@code orders} referencing it, {@code rows} each. */
    private static void build(ConnectionTarget target, long rows) throws SQLException {
        List<String> sql = new ArrayList<>(List.of(
                "SET maintenance_work_mem = '512MB'",
                "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE",
                "DROP SCHEMA IF EXISTS zerolock_bench_state CASCADE",
                "CREATE SCHEMA " + SCHEMA,
                "CREATE TABLE " + SCHEMA + ".accounts (id serial, email text NOT NULL, visits int NOT NULL DEFAULT 0)",
                "INSERT INTO " + SCHEMA + ".accounts (email) SELECT 'a' || g || '@example.com' FROM "
                        + "generate_series(1, " + rows + ") g",
                "ALTER TABLE " + SCHEMA + ".accounts ADD PRIMARY KEY (id)",
                "CREATE TABLE " + SCHEMA + ".orders (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                        + "account_id int NOT NULL, total numeric(12, 2) NOT NULL)",
                "INSERT INTO " + SCHEMA + ".orders (account_id, total) SELECT 1 + (g * 7919) % " + rows + ", "
                        + "g % 500 + 0.99 FROM generate_series(1::bigint, " + rows + ") g",
                "SELECT setval(pg_get_serial_sequence('" + SCHEMA + ".orders', 'id'), " + rows + ")",
                "CREATE INDEX orders_account ON " + SCHEMA + ".orders (account_id)",
                "ALTER TABLE " + SCHEMA + ".orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) "
                        + "REFERENCES " + SCHEMA + ".accounts (id)",
                "VACUUM ANALYZE " + SCHEMA + ".accounts",
                "VACUUM ANALYZE " + SCHEMA + ".orders"));
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement statement = admin.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }
}

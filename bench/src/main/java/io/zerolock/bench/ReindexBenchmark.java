package io.zerolock.bench;

import io.zerolock.ConnectionTarget;
import io.zerolock.cli.demo.Comparison;
import io.zerolock.cli.demo.ComparisonTable;
import io.zerolock.cli.demo.Contender;
import io.zerolock.cli.demo.HtmlReport;
import io.zerolock.cli.demo.RunResult;
import io.zerolock.cli.load.Workload;
import io.zerolock.reindex.Strategy;
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
 * Rebuilds a bloated, referenced primary key four ways, each on an identical copy of the data under the
 * same steady open-loop load (the demo's {@link Comparison}), and reports what the application saw during
 * each: duration, longest interval with no completed transaction, max and p99 latency, throughput, failed
 * transactions, the index size before and after, and the sessions its locks blocked.
 */
public final class ReindexBenchmark {

    private static final String SCHEMA = "\"zerolock_bench\"";
    private static final String INDEX = SCHEMA + ".\"parent_pkey\"";

    public static void main(String[] args) throws Exception {
        BenchRun.main("bench/reindex", args, 3_000_000, 200, "zerolock-bench-report.html", ReindexBenchmark::run);
    }

    private static void run(BenchRun bench) throws Exception {
        long rows = bench.rows();
        int rate = bench.rate();
        int major = bench.major();
        String version = bench.version();
        Path report = bench.report();
        bench.build(ReindexBenchmark::build, String.format("%,d parent rows and %,d child rows", rows, rows));

        List<Contender> contenders = new ArrayList<>();
        contenders.add(Contender.sql("REINDEX (plain)", "REINDEX INDEX"));
        if (major >= 12) {
            contenders.add(Contender.sql("REINDEX CONCURRENTLY", "REINDEX INDEX CONCURRENTLY"));
            contenders.add(Contender.zerolock(Strategy.NATIVE));
        }
        contenders.add(Contender.zerolock(Strategy.SWAP));
        contenders.add(handWrittenSwap());
        if (major >= 12) {
            // what a user waits for: the command line in a process of its own, start-up and all
            contenders.add(process(Strategy.NATIVE));
        }
        Comparison.Stage stage = bench.copies(ReindexBenchmark::build);
        List<RunResult> runs = Comparison.run(contenders, stage, Workload.parentChild(SCHEMA, rows, 4),
                new Comparison.Load(rate, 8, 0.5, Duration.ofSeconds(1)), INDEX, "zerolock_bench.parent_pkey",
                System.err::println);
        System.out.printf("PostgreSQL %s, %,d rows (3 in 4 deleted), load %d tx/s (half writes: update parent + "
                + "insert child; half point reads), 8 connections%n%n", version, rows, rate);
        System.out.print(ComparisonTable.markdown(runs));
        RunResult concurrent = runs.stream().filter(r -> r.contender().name().equals("REINDEX CONCURRENTLY"))
                .findFirst().orElse(null);
        if (concurrent != null) {
            System.out.println();
            for (RunResult run : runs) {
                if (run.contender().name().startsWith("zerolock")) {
                    System.out.printf("%s vs REINDEX CONCURRENTLY: longest gap %.2fx, max latency %.2fx, "
                            + "duration %.2fx%n", run.contender().name(),
                            BenchRun.ratio(run.stats().longestGapNanos(), concurrent.stats().longestGapNanos()),
                            BenchRun.ratio(run.stats().maxLatencyNanos(), concurrent.stats().maxLatencyNanos()),
                            BenchRun.ratio(run.stats().endNanos() - run.stats().startNanos(),
                                    concurrent.stats().endNanos() - concurrent.stats().startNanos()));
                }
            }
        }
        RunResult swap = runs.stream().filter(r -> r.contender().name().equals("zerolock swap")).findFirst()
                .orElse(null);
        RunResult hand = runs.stream().filter(r -> r.contender().name().equals("hand-written swap")).findFirst()
                .orElse(null);
        if (swap != null && hand != null) {
            System.out.printf("zerolock swap vs the hand-written swap: duration %.2fx (%.2f s vs %.2f s), longest gap "
                    + "%d ms vs %d ms%n", BenchRun.ratio(swap.stats().endNanos() - swap.stats().startNanos(),
                            hand.stats().endNanos() - hand.stats().startNanos()),
                    (swap.stats().endNanos() - swap.stats().startNanos()) / 1e9,
                    (hand.stats().endNanos() - hand.stats().startNanos()) / 1e9,
                    swap.stats().longestGapNanos() / 1_000_000, hand.stats().longestGapNanos() / 1_000_000);
        }
        if (monitorCost != null) {
            System.out.println("zerolock native (process): its lock monitor took " + monitorCost + " (one sample "
                    + "every 150 ms on a connection of its own)");
        }
        Files.writeString(report, HtmlReport.render("zerolock reindex benchmark", "PostgreSQL " + version + ", "
                + String.format("%,d", rows) + " rows, load " + rate + " tx/s", runs), StandardCharsets.UTF_8);
        System.err.println("report: " + report.toAbsolutePath());
    }

    /**
     * {@code parent} with {@code rows} rows and {@code child} referencing it; three in four deleted and
     * vacuumed. Loaded first and indexed after (much faster than growing the indexes row by row), the
     * foreign key added last: the primary key ends with its pages a quarter full, as after real deletes.
     */
    private static void build(ConnectionTarget target, long rows) throws SQLException {
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = admin.createStatement()) {
            sql.execute("SET maintenance_work_mem = '512MB'");
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            sql.execute("CREATE SCHEMA " + SCHEMA);
            sql.execute("CREATE TABLE " + SCHEMA + ".parent (id bigint NOT NULL, touched int NOT NULL DEFAULT 0, "
                    + "payload text NOT NULL)");
            sql.execute("INSERT INTO " + SCHEMA + ".parent (id, payload) SELECT g, md5(g::text) "
                    + "FROM generate_series(1, " + rows + ") g");
            sql.execute("CREATE TABLE " + SCHEMA + ".child (id bigint GENERATED BY DEFAULT AS IDENTITY, "
                    + "parent_id bigint NOT NULL, created timestamptz NOT NULL DEFAULT now())");
            sql.execute("INSERT INTO " + SCHEMA + ".child (parent_id) SELECT g FROM generate_series(1, " + rows
                    + ") g");
            sql.execute("ALTER TABLE " + SCHEMA + ".parent ADD CONSTRAINT parent_pkey PRIMARY KEY (id)");
            sql.execute("ALTER TABLE " + SCHEMA + ".child ADD CONSTRAINT child_pkey PRIMARY KEY (id)");
            sql.execute("CREATE INDEX child_parent_id ON " + SCHEMA + ".child (parent_id)");
            sql.execute("DELETE FROM " + SCHEMA + ".child WHERE parent_id % 4 <> 0");
            sql.execute("DELETE FROM " + SCHEMA + ".parent WHERE id % 4 <> 0");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".parent");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".child");
            sql.execute("ALTER TABLE " + SCHEMA + ".child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) "
                    + "REFERENCES " + SCHEMA + ".parent");
        }
    }

    /**
     * {@code ./zerolock reindex <index> --strategy <strategy>} as a child process: the JVM's start, its
     * connections, its monitor and JIT all count. Who waited on it is read from its own impact log line.
     */
    private static Contender process(Strategy strategy) {
        return new Contender("zerolock " + strategy.id() + " (process)", "./zerolock reindex <index> --strategy "
                + strategy.id(), (target, indexSql, indexName, timeline) -> {
                    String uri = "postgresql://" + target.user() + "@" + target.host() + ":" + target.port() + "/"
                            + target.database();
                    timeline.mark("process");
                    Process process = new ProcessBuilder("./zerolock", "reindex", "-d", uri, indexName,
                            "--strategy", strategy.id()).redirectErrorStream(true).start();
                    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (process.waitFor() != 0) {
                        throw new IllegalStateException("zerolock reindex failed:\n" + output);
                    }
                    java.util.regex.Matcher impact = java.util.regex.Pattern.compile(
                            "msg=impact .*?blocked_sessions=(\\d+) max_wait_ms=(\\d+) total_wait_ms=(\\d+)")
                            .matcher(output);
                    java.util.regex.Matcher cost = java.util.regex.Pattern.compile(
                            "monitor_samples=(\\d+) monitor_query_ms=(\\d+)").matcher(output);
                    if (cost.find()) {
                        monitorCost = cost.group(1) + " samples, " + cost.group(2) + " ms of monitor queries";
                    }
                    return impact.find() ? new io.zerolock.execute.Impact(Integer.parseInt(impact.group(1)),
                            Long.parseLong(impact.group(2)), Long.parseLong(impact.group(3)), null)
                            : io.zerolock.execute.Impact.none();
                });
    }

    /**
     * The swap a careful engineer writes by hand, foreign key validated too: the twin built concurrently,
     * then one short locked transaction (referenced table locked first) that moves the key onto it and
     * re-creates the foreign key NOT VALID, then VALIDATE. What zerolock's swap does, without its checks,
     * journal and monitor.
     */
    private static Contender handWrittenSwap() {
        String twin = SCHEMA + ".\"parent_pkey_new\"";
        List<String> sql = List.of(
                "CREATE UNIQUE INDEX CONCURRENTLY parent_pkey_new ON " + SCHEMA + ".parent (id)",
                "BEGIN",
                "SET LOCAL lock_timeout = '1s'",
                "LOCK TABLE " + SCHEMA + ".parent, " + SCHEMA + ".child IN ACCESS EXCLUSIVE MODE",
                "ALTER TABLE " + SCHEMA + ".child DROP CONSTRAINT child_parent_id_fkey",
                "ALTER TABLE " + SCHEMA + ".parent DROP CONSTRAINT parent_pkey",
                "ALTER INDEX " + twin + " RENAME TO parent_pkey",
                "ALTER TABLE " + SCHEMA + ".parent ADD CONSTRAINT parent_pkey PRIMARY KEY USING INDEX parent_pkey",
                "ALTER TABLE " + SCHEMA + ".child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) "
                        + "REFERENCES " + SCHEMA + ".parent NOT VALID",
                "COMMIT",
                "ALTER TABLE " + SCHEMA + ".child VALIDATE CONSTRAINT child_parent_id_fkey");
        return new Contender("hand-written swap", "CREATE UNIQUE INDEX CONCURRENTLY + swap transaction + VALIDATE",
                (target, indexSql, indexName, timeline) -> {
                    ConnectionTarget named = target.withApplicationName("zerolock-bench-hand-swap");
                    try (Connection work = DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties());
                            Statement statement = work.createStatement();
                            io.zerolock.execute.Monitor monitor = new io.zerolock.execute.Monitor(
                                    DriverManager.getConnection(named.jdbcUrl(), named.jdbcProperties()),
                                    io.zerolock.execute.Monitor.backendPid(work),
                                    new int[] {io.zerolock.execute.Monitor.backendPid(work)},
                                    io.zerolock.execute.Watchdog.defaults(), indexSql, progress -> { })) {
                        for (String each : sql) {
                            if (each.startsWith("CREATE") || each.startsWith("BEGIN") || each.contains("VALIDATE")) {
                                String step = each.startsWith("CREATE") ? "build" : each.startsWith("BEGIN") ? "swap"
                                        : "validate";
                                monitor.stepStarted(step, false);
                                timeline.mark(step);
                            }
                            statement.execute(each);
                        }
                        return monitor.impact();
                    }
                });
    }

    /** What the process run's lock monitor cost, from its impact log line. */
    private static String monitorCost;


}

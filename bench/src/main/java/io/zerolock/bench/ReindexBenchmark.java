package io.zerolock.bench;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.Sizes;
import io.zerolock.Zerolock;
import io.zerolock.cli.load.LoadGenerator;
import io.zerolock.cli.load.WindowStats;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresServer;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexRequest;
import io.zerolock.reindex.Strategy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a bloated, referenced primary key four ways under one steady open-loop load, and reports
 * what the application saw during each: duration, longest interval with no completed transaction, max
 * and p99 latency, throughput, failed transactions, and the index size before and after.
 */
public final class ReindexBenchmark {

    private static final String SCHEMA = "\"zerolock_bench\"";

    private record Run(String name, long sizeBefore, long sizeAfter, WindowStats stats) {}

    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        long rows = 3_000_000;
        int rate = 200;
        int pgVersion = BundledPostgres.newestMajor();
        String dbname = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--pg-version" -> pgVersion = Integer.parseInt(args[++i]);
                case "--dbname" -> dbname = args[++i];
                case "--help" -> {
                    System.out.println("bench/reindex [--rows N (3000000)] [--rate TX_PER_S (200)] "
                            + "[--pg-version MAJOR] [--dbname DB_OR_URI (default: embedded)]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EmbeddedPostgresServer server = null;
        ConnectionTarget target;
        if (dbname == null) {
            server = EmbeddedPostgresServer.start(pgVersion);
            String database = server.createDatabase("zerolock_bench");
            target = new ConnectionTarget(List.of("localhost"), List.of(server.port()), database, "postgres", null,
                    "none", null, "zerolock-bench", Map.of());
        } else {
            target = ConnectionResolver.forThisProcess().resolve(ConnectionOptions.ofDbname(dbname));
        }
        try {
            run(target, rows, rate);
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void run(ConnectionTarget target, long rows, int rate) throws Exception {
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = admin.createStatement()) {
            String version = query(sql, "SHOW server_version");
            System.err.printf("building %,d parent rows and %,d child rows on PostgreSQL %s...%n", rows, rows, version);
            long started = System.nanoTime();
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            sql.execute("CREATE SCHEMA " + SCHEMA);
            sql.execute("CREATE TABLE " + SCHEMA + ".parent (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0, "
                    + "payload text NOT NULL)");
            sql.execute("INSERT INTO " + SCHEMA + ".parent (id, payload) SELECT g, md5(g::text) "
                    + "FROM generate_series(1, " + rows + ") g");
            sql.execute("CREATE TABLE " + SCHEMA + ".child (id bigserial PRIMARY KEY, parent_id bigint NOT NULL "
                    + "REFERENCES " + SCHEMA + ".parent, created timestamptz NOT NULL DEFAULT now())");
            sql.execute("INSERT INTO " + SCHEMA + ".child (parent_id) SELECT g FROM generate_series(1, " + rows
                    + ") g");
            sql.execute("CREATE INDEX child_parent_id ON " + SCHEMA + ".child (parent_id)");
            // three parents in four go, with their children: the primary key keeps its pages, a quarter full
            sql.execute("DELETE FROM " + SCHEMA + ".child WHERE parent_id % 4 <> 0");
            sql.execute("DELETE FROM " + SCHEMA + ".parent WHERE id % 4 <> 0");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".parent");
            sql.execute("VACUUM ANALYZE " + SCHEMA + ".child");
            System.err.printf("dataset ready in %.0f s; parent_pkey is %s%n", (System.nanoTime() - started) / 1e9,
                    Sizes.pretty(size(sql)));

            String pk = SCHEMA + ".parent_pkey";
            int major = Integer.parseInt(query(sql, "SHOW server_version_num")) / 10000;
            List<Run> runs = new ArrayList<>();
            try (LoadGenerator load = new LoadGenerator(target, SCHEMA, rate, 8, 0.5, rows, 4)) {
                Thread.sleep(2000); // warm up
                runs.add(measure("REINDEX (plain)", sql, load, () -> sql.execute("REINDEX INDEX " + pk)));
                if (major >= 12) {
                    runs.add(measure("REINDEX CONCURRENTLY", sql, load,
                            () -> sql.execute("REINDEX INDEX CONCURRENTLY " + pk)));
                    runs.add(measure("zerolock --strategy native", sql, load, () -> zerolock(target, Strategy.NATIVE)));
                }
                runs.add(measure("zerolock --strategy swap", sql, load, () -> zerolock(target, Strategy.SWAP)));
            }
            print(version, rows, rate, runs);
        }
    }

    private static void zerolock(ConnectionTarget target, Strategy strategy) {
        try (Zerolock zerolock = Zerolock.connect(target.withApplicationName("zerolock"))) {
            zerolock.reindex(ReindexRequest.indexes("zerolock_bench.parent_pkey"),
                    ReindexOptions.defaults().withStrategy(strategy), false);
        }
    }

    private static Run measure(String name, Statement sql, LoadGenerator load, Operation operation) throws Exception {
        long before = size(sql);
        Thread.sleep(1000);
        long start = System.nanoTime();
        operation.run();
        long end = System.nanoTime();
        Thread.sleep(1000);
        WindowStats stats = WindowStats.of(load.samples(), start, end);
        System.err.printf("%s: %.2f s, longest gap %d ms, max latency %d ms, failed %d%n", name, stats.seconds(),
                stats.longestGapNanos() / 1_000_000, stats.maxLatencyNanos() / 1_000_000, stats.failed());
        return new Run(name, before, size(sql), stats);
    }

    private static void print(String version, long rows, int rate, List<Run> runs) {
        System.out.printf("PostgreSQL %s, %,d rows (3 in 4 deleted), load %d tx/s (half writes: update parent + "
                + "insert child; half point reads), 8 connections%n%n", version, rows, rate);
        System.out.println("| command | duration | longest gap | max latency | p99 latency | throughput | failed tx "
                + "| parent_pkey before → after |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (Run run : runs) {
            WindowStats s = run.stats();
            System.out.printf("| %s | %.2f s | %d ms | %d ms | %d ms | %.0f tx/s | %d | %s → %s |%n", run.name(),
                    s.seconds(), s.longestGapNanos() / 1_000_000, s.maxLatencyNanos() / 1_000_000,
                    s.p99LatencyNanos() / 1_000_000, s.throughput(), s.failed(), Sizes.pretty(run.sizeBefore()),
                    Sizes.pretty(run.sizeAfter()));
        }
        Run concurrent = runs.stream().filter(r -> r.name().equals("REINDEX CONCURRENTLY")).findFirst().orElse(null);
        if (concurrent != null) {
            System.out.println();
            for (Run run : runs) {
                if (run.name().startsWith("zerolock")) {
                    System.out.printf("%s vs REINDEX CONCURRENTLY: longest gap %.2fx, max latency %.2fx, "
                            + "duration %.2fx%n", run.name(),
                            ratio(run.stats().longestGapNanos(), concurrent.stats().longestGapNanos()),
                            ratio(run.stats().maxLatencyNanos(), concurrent.stats().maxLatencyNanos()),
                            ratio(run.stats().endNanos() - run.stats().startNanos(),
                                    concurrent.stats().endNanos() - concurrent.stats().startNanos()));
                }
            }
        }
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static long size(Statement sql) throws SQLException {
        return Long.parseLong(query(sql, "SELECT pg_relation_size(to_regclass('" + SCHEMA.replace("'", "''")
                + ".parent_pkey'))"));
    }

    private static String query(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

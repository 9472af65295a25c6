package io.zerolock.bench;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.catalog.Identifiers;
import io.zerolock.cli.demo.Comparison;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every benchmark shares: its options, the server it runs on (embedded, or the user's), the server's
 * version, and a fresh identical copy of the data for each contender.
 *
 * @param rows the data's size
 * @param rate the load, transactions per second
 * @param target where the data is built
 * @param embedded the server is the benchmark's own (copies are made with CREATE DATABASE ... TEMPLATE)
 */
record BenchRun(long rows, int rate, Path report, ConnectionTarget target, boolean embedded, String version,
        int major) {

    /** Builds the data once, on the run's target. */
    @FunctionalInterface
    interface Dataset {
        void build(ConnectionTarget target, long rows) throws SQLException;
    }

    /** A benchmark's body, given its run. */
    @FunctionalInterface
    interface Body {
        void run(BenchRun run) throws Exception;
    }

    /**
     * Parses the common options (--rows, --rate, --pg-version, --dbname, --report, --help), starts the
     * embedded server unless --dbname names one, runs the body, and stops the server.
     */
    static void main(String name, String[] args, long defaultRows, int defaultRate, String defaultReport, Body body)
            throws Exception {
        long rows = defaultRows;
        int rate = defaultRate;
        int pgVersion = BundledPostgres.newestMajor();
        String dbname = null;
        Path report = Path.of(defaultReport);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--pg-version" -> pgVersion = Integer.parseInt(args[++i]);
                case "--dbname" -> dbname = args[++i];
                case "--report" -> report = Path.of(args[++i]);
                case "--help" -> {
                    System.out.println(name + " [--rows N (" + defaultRows + ")] [--rate TX_PER_S (" + defaultRate
                            + ")] [--pg-version MAJOR] [--dbname DB_OR_URI (default: embedded)] [--report FILE ("
                            + defaultReport + ")]");
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
        try (Connection admin = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = admin.createStatement()) {
            String version = query(sql, "SHOW server_version");
            int major = Integer.parseInt(query(sql, "SHOW server_version_num")) / 10000;
            body.run(new BenchRun(rows, rate, report, target, server != null, version, major));
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Builds the data once, saying how long it took. */
    void build(Dataset dataset, String what) throws SQLException {
        System.err.printf("building %s on PostgreSQL %s...%n", what, version);
        long started = System.nanoTime();
        dataset.build(target, rows);
        System.err.printf("dataset ready in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * A fresh identical copy of the data for each contender: on the embedded server, a copy of the database
     * (the previous copy dropped: at 20M rows, copies add up); on the user's, the data built again.
     */
    Comparison.Stage copies(Dataset dataset) {
        List<String> copies = new ArrayList<>();
        return contender -> {
            if (!embedded) {
                if (!copies.isEmpty()) {
                    dataset.build(target, rows);
                }
                copies.add(target.database());
                return target;
            }
            String copy = target.database() + "_" + (copies.size() + 1);
            try (Connection admin = DriverManager.getConnection(target.withDatabase("postgres").jdbcUrl(),
                    target.jdbcProperties()); Statement sql = admin.createStatement()) {
                if (!copies.isEmpty()) {
                    sql.execute("DROP DATABASE " + Identifiers.quote(copies.get(copies.size() - 1)));
                }
                copies.add(copy);
                sql.execute("CREATE DATABASE " + Identifiers.quote(copy) + " TEMPLATE "
                        + Identifiers.quote(target.database()) + (major >= 15 ? " STRATEGY FILE_COPY" : ""));
            }
            return target.withDatabase(copy);
        };
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static String query(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

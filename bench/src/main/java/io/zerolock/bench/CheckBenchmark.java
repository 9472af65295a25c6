package io.zerolock.bench;

import io.zerolock.ConnectionTarget;
import io.zerolock.check.Checker;
import io.zerolock.check.trace.Tracer;
import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code zerolock check}'s cost: the static check of many migration files (generated, a realistic mix of
 * DDL, data changes and function bodies), and the trace's cost per statement on an embedded PostgreSQL.
 * When {@code squawk} is on the PATH, it checks the same files in the same run, for comparison.
 */
public final class CheckBenchmark {

    public static void main(String[] args) throws Exception {
        int files = 1000;
        int traced = 200;
        int pgVersion = BundledPostgres.newestMajor();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--traced" -> traced = Integer.parseInt(args[++i]);
                case "--pg-version" -> pgVersion = Integer.parseInt(args[++i]);
                case "--help" -> {
                    System.out.println("bench/check [--files N (1000)] [--traced FILES (200)] [--pg-version MAJOR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("zerolock-check-bench");
        List<Checker.Source> sources = new ArrayList<>();
        long bytes = 0;
        for (int i = 1; i <= files; i++) {
            String sql = migration(i);
            bytes += sql.length();
            Path file = dir.resolve(String.format("V%04d__change.sql", i));
            Files.writeString(file, sql, StandardCharsets.UTF_8);
            sources.add(new Checker.Source(file.toString(), sql));
        }
        // warm up the JIT the way a long-lived JVM would be, then measure
        Checker.check(sources, pgVersion, Set.of());
        long started = System.nanoTime();
        Checker.Report report = Checker.check(sources, pgVersion, Set.of());
        long staticNanos = System.nanoTime() - started;
        System.out.printf("static check: %,d files, %,d statements, %,d KB: %d ms (%.1f µs per statement), %,d findings%n",
                files, report.statements(), bytes / 1024, TimeUnit.NANOSECONDS.toMillis(staticNanos),
                staticNanos / 1000.0 / report.statements(), report.findings().size());

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(pgVersion)) {
            String database = server.createDatabase("zerolock_check_bench");
            ConnectionTarget target = new ConnectionTarget(List.of(server.host()), List.of(server.port()), database,
                    EmbeddedPostgresServer.SUPERUSER, null, "none", null, "zerolock-bench", Map.of());
            List<Checker.Source> subset = sources.subList(0, Math.min(traced, sources.size()));
            try (Connection connection = connect(target)) {
                long traceStarted = System.nanoTime();
                List<Tracer.Traced> results = new Tracer(connection, () -> {
                    try {
                        return connect(target);
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }).trace(subset);
                long traceNanos = System.nanoTime() - traceStarted;
                long failed = results.stream().filter(r -> r.outcome() != Tracer.Outcome.RAN).count();
                System.out.printf("trace on PostgreSQL %s: %,d statements of %,d files in %.1f s: %.1f ms per statement "
                        + "(%d did not run)%n", server.release(), results.size(), subset.size(), traceNanos / 1e9,
                        traceNanos / 1e6 / results.size(), failed);
            }
        }
        squawk(dir, files);
    }

    private static void squawk(Path dir, int files) {
        try {
            List<String> command = new ArrayList<>(List.of("squawk"));
            try (var list = Files.list(dir)) {
                list.sorted().forEach(p -> command.add(p.toString()));
            }
            long started = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor();
            System.out.printf("squawk: %,d files in %d ms%n", files,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (java.io.IOException e) {
            System.out.println("squawk: not installed here (npm install -g squawk-cli), not compared");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Migration number {@code i}: creates its own table, then changes it and an earlier one. */
    static String migration(int i) {
        String t = "t" + i;
        String earlier = "t" + Math.max(1, i - 1);
        return """
                -- migration %1$d
                SET lock_timeout = '1s';
                CREATE TABLE %2$s (id bigint PRIMARY KEY, name varchar(40), amount int, created_at timestamptz);
                CREATE INDEX %2$s_name ON %2$s (name);
                ALTER TABLE %3$s ADD COLUMN c%1$d int;
                ALTER TABLE %3$s ALTER COLUMN name TYPE varchar(80);
                CREATE INDEX CONCURRENTLY %3$s_c%1$d ON %3$s (c%1$d);
                ALTER TABLE %3$s ADD CONSTRAINT %3$s_c%1$d_positive CHECK (c%1$d > 0) NOT VALID;
                ALTER TABLE %3$s VALIDATE CONSTRAINT %3$s_c%1$d_positive;
                CREATE OR REPLACE FUNCTION f%1$d() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  NEW.amount := coalesce(NEW.amount, 0); -- ALTER TABLE in a comment; 'quoted;'
                  RETURN NEW;
                END $$;
                UPDATE %3$s SET amount = 0 WHERE id < 100;
                CREATE INDEX %3$s_amount_%1$d ON %3$s (amount);
                ALTER TABLE %2$s ADD CONSTRAINT %2$s_parent FOREIGN KEY (id) REFERENCES %3$s;
                """.formatted(i, t, earlier);
    }

    private static Connection connect(ConnectionTarget target) throws SQLException {
        Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
        connection.setAutoCommit(true);
        return connection;
    }
}

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
 * Then the wall-clock a user waits for, start-up included, next to squawk's on the same files (bench/check
 * installs squawk from the npm registry).
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
        wallClock(dir, files);
    }

    /**
     * What a user waits for, start-up included: {@code ./zerolock check} as a process (the launcher, the
     * JVM, the check) next to squawk on the same files, on all of them and on one small file; and a trace
     * of one small file. Medians of several runs.
     */
    private static void wallClock(Path dir, int files) throws Exception {
        Path squawk = squawkBinary();
        List<String> all;
        try (var list = Files.list(dir)) {
            all = list.map(Path::toString).sorted().toList();
        }
        Path one = Files.createTempDirectory("zerolock-check-one").resolve("V1__small.sql");
        Files.writeString(one, "SET lock_timeout = '1s';\nCREATE INDEX orders_status ON orders (status);\n"
                + "ALTER TABLE orders ADD COLUMN note text;\n");
        List<String> zerolock = List.of("./zerolock", "check", "--fail-on", "never");
        System.out.printf("%nwall-clock, start-up included (median of runs), on this machine:%n");
        System.out.printf("%-34s %12s %12s%n", "", "zerolock", squawk == null ? "squawk (n/a)" : "squawk");
        row(files + " files", concat(zerolock, List.of(dir.toString())), 3,
                squawk == null ? null : concat(List.of(squawk.toString()), all));
        row("1 small file", concat(zerolock, List.of(one.toString())), 5,
                squawk == null ? null : List.of(squawk.toString(), one.toString()));
        row("1 small file, --trace (embedded)", concat(zerolock, List.of("--trace", one.toString())), 3, null);
    }

    private static void row(String label, List<String> zerolock, int runs, List<String> squawk) throws Exception {
        long ours = median(zerolock, runs);
        String theirs = squawk == null ? "-" : median(squawk, runs) + " ms";
        System.out.printf("%-34s %9d ms %12s%n", label, ours, theirs);
    }

    private static long median(List<String> command, int runs) throws Exception {
        List<Long> times = new ArrayList<>();
        run(command); // warm the page cache and, for zerolock, its class-data archive
        for (int i = 0; i < runs; i++) {
            times.add(run(command));
        }
        times.sort(Long::compare);
        return times.get(times.size() / 2);
    }

    private static long run(List<String> command) throws Exception {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("did not finish: " + command.get(0));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** squawk from $SQUAWK, the PATH, or where bench/check installs it (npm install --prefix bench/target/squawk). */
    private static Path squawkBinary() {
        List<Path> candidates = new ArrayList<>();
        if (System.getenv("SQUAWK") != null) {
            candidates.add(Path.of(System.getenv("SQUAWK")));
        }
        candidates.add(Path.of("bench/target/squawk/node_modules/@squawk-cli/linux-x64/bin/squawk"));
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(directory, "squawk"));
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
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

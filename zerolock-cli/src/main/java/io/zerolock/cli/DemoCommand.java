package io.zerolock.cli;

import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import io.zerolock.cli.demo.Comparison;
import io.zerolock.cli.demo.ComparisonTable;
import io.zerolock.cli.demo.Contender;
import io.zerolock.cli.demo.DemoData;
import io.zerolock.cli.demo.HtmlReport;
import io.zerolock.cli.demo.RunResult;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresException;
import io.zerolock.embedded.EmbeddedPostgresServer;
import io.zerolock.reindex.Strategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", usageHelpAutoWidth = true,
        description = {"Show, measured, what a rebuild costs the application: on an embedded PostgreSQL (nothing to "
                + "install), or in a schema of its own on a database you give, build a shop whose customers' primary "
                + "key two tables reference, bloat it (three customers in four deleted and vacuumed), start an "
                + "application-like load (open-loop, fixed rate: writes update a customer and insert an order, reads "
                + "look a customer up), and rebuild the primary key under it: first with plain REINDEX INDEX (the "
                + "outage), then with zerolock, each on identical data. Prints the two side by side and writes an "
                + "HTML report with a latency chart per run. The embedded server, or the schema, is thrown away at "
                + "the end."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./zerolock demo", "  ./zerolock demo --strategy all --rows 2000000",
                "  ./zerolock demo --pg-version 11 --no-outage",
                "  ./zerolock demo -d postgresql://me@db.test/scratch"})
final class DemoCommand implements Callable<Integer> {

    private static final String EMBEDDED_SCHEMA = "shop";
    private static final String USER_SCHEMA = "zerolock_demo";
    private static final String MARKER = "created by zerolock demo; dropped when it ends";

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--pg-version", paramLabel = "MAJOR",
            description = "Embedded PostgreSQL major version, 11 to 18 (bundled: ${COMPLETION-CANDIDATES}, the others "
                    + "downloaded from Maven Central on first use; default: the newest bundled).",
            completionCandidates = BundledVersions.class)
    Integer pgVersion;

    @Option(names = "--strategy", paramLabel = "native|swap|all",
            description = "zerolock's strategy (default: native on 12+, swap before); all runs each in turn.")
    String strategy;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1500000",
            description = "Customers to create (default: ${DEFAULT-VALUE}); orders and invoices scale with it.")
    long rows;

    @Option(names = "--rate", paramLabel = "TX_PER_S", defaultValue = "200",
            description = "Application transactions per second (default: ${DEFAULT-VALUE}), over 8 connections.")
    int rate;

    @Option(names = "--no-outage", description = "Skip the plain runs (REINDEX INDEX, the migration as written).")
    boolean noOutage;

    @Option(names = "--no-migration", description = "Skip the second act (a feature migration as written, then "
            + "with zerolock apply).")
    boolean noMigration;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "zerolock-demo-report.html",
            description = "Where to write the HTML report (default: ${DEFAULT-VALUE}).")
    Path report;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows < 100) {
            throw new ParameterException(spec.commandLine(), "--rows must be at least 100");
        }
        if (rate < 1 || rate > 5000) {
            throw new ParameterException(spec.commandLine(), "--rate must be between 1 and 5000");
        }
        if (connection.given() && pgVersion != null) {
            throw new ParameterException(spec.commandLine(), "--pg-version chooses the embedded server; with a "
                    + "database of your own (-d), the server is yours");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (connection.given()) {
            ConnectionTarget target = ConnectionResolver.forThisProcess().resolve(connection.options());
            return onYourDatabase(out, target);
        }
        int major = pgVersion == null ? BundledPostgres.newestMajor() : pgVersion;
        if (!BundledPostgres.startable(major)) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "PostgreSQL " + major + " cannot be run by zerolock; "
                    + "major versions 11 to 18 can (bundled: " + BundledPostgres.releases().keySet() + "; the others are "
                    + "downloaded from Maven Central on first use)");
        }
        List<Strategy> strategies = strategies(major); // refuse before starting anything
        try (EmbeddedPostgresServer server = startServer(major)) {
            String template = server.createDatabase("zerolock_demo");
            ConnectionTarget target = new ConnectionTarget(List.of(server.host()), List.of(server.port()), template,
                    EmbeddedPostgresServer.SUPERUSER, null, "none", null, "zerolock", Map.of());
            out.printf("zerolock demo: PostgreSQL %s (embedded, localhost:%d)%n", server.release(), server.port());
            DemoData data = new DemoData(EMBEDDED_SCHEMA, rows);
            build(out, target, data);
            // every run gets its own byte-for-byte copy of the bloated database
            List<String> copies = new ArrayList<>();
            Comparison.Stage stage = contender -> {
                String copy = template + "_" + (copies.size() + 1);
                copies.add(copy);
                execute(target.withDatabase("postgres"), "CREATE DATABASE " + Identifiers.quote(copy) + " TEMPLATE "
                        + Identifiers.quote(template) + (major >= 15 ? " STRATEGY FILE_COPY" : ""));
                return target.withDatabase(copy);
            };
            return compare(out, data, stage, strategies, "PostgreSQL " + server.release() + " (embedded)", major);
        } catch (EmbeddedPostgresException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, e.getMessage(), e);
        }
    }

    /** The same demonstration in schema {@code zerolock_demo} of the user's database, dropped at the end. */
    private int onYourDatabase(PrintWriter out, ConnectionTarget given) throws Exception {
        ConnectionTarget target = given.withApplicationName("zerolock");
        DemoData data = new DemoData(USER_SCHEMA, rows);
        String version;
        int major;
        try (Connection admin = connect(target); Statement statement = admin.createStatement()) {
            version = single(statement, "SHOW server_version");
            major = Integer.parseInt(single(statement, "SHOW server_version_num")) / 10000;
            String comment = single(statement, "SELECT coalesce(obj_description(oid, 'pg_namespace'), '') "
                    + "FROM pg_namespace WHERE nspname = " + io.zerolock.plan.Sql.literal(USER_SCHEMA));
            if (comment != null && !comment.equals(MARKER)) {
                throw new ZerolockException(ErrorCode.REFUSED, "refused, nothing was changed: schema " + USER_SCHEMA
                        + " already exists in database " + target.database() + " and was not made by zerolock demo");
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "cannot use database " + target.database()
                    + ": " + e.getMessage(), e);
        }
        List<Strategy> strategies = strategies(major);
        out.printf("zerolock demo: PostgreSQL %s (database %s on %s:%s, schema %s, dropped at the end)%n", version,
                target.database(), target.host(), target.port(), USER_SCHEMA);
        try {
            build(out, target, data);
            boolean[] fresh = {true};
            Comparison.Stage stage = contender -> {
                if (!fresh[0]) {
                    out.println("  rebuilding the same data for the next run...");
                    out.flush();
                    create(target, data);
                }
                fresh[0] = false;
                return target;
            };
            return compare(out, data, stage, strategies, "PostgreSQL " + version + " (database "
                    + target.database() + ")", major);
        } finally {
            execute(target, data.drop().get(0));
        }
    }

    private void build(PrintWriter out, ConnectionTarget target, DemoData data) throws SQLException {
        out.printf("Building the shop: %,d customers, %,d orders, %,d invoices; then three customers in four leave "
                + "(deleted, vacuumed)...%n", data.customers(), data.customers() * 2, data.customers());
        out.flush();
        long started = System.nanoTime();
        create(target, data);
        out.printf("Ready in %.0f s.%n%n", (System.nanoTime() - started) / 1e9);
        try (Zerolock zerolock = Zerolock.connect(target)) {
            out.println("$ zerolock indexes --schema " + data.schema());
            out.print(IndexReport.table(zerolock.indexes(Identifiers.quote(data.schema()), null)));
        }
        out.println();
        out.flush();
    }

    private static void create(ConnectionTarget target, DemoData data) throws SQLException {
        List<String> statements = new ArrayList<>(data.drop());
        statements.addAll(data.create());
        statements.add("COMMENT ON SCHEMA " + Identifiers.quote(data.schema()) + " IS "
                + io.zerolock.plan.Sql.literal(MARKER));
        statements.addAll(data.bloat());
        try (Connection admin = connect(target); Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private int compare(PrintWriter out, DemoData data, Comparison.Stage stage, List<Strategy> strategies,
            String where, int major) throws Exception {
        List<Contender> contenders = new ArrayList<>();
        if (!noOutage) {
            contenders.add(Contender.sql("REINDEX INDEX", "REINDEX INDEX"));
        }
        for (Strategy chosen : strategies) {
            contenders.add(Contender.zerolock(chosen));
        }
        out.printf("Rebuilding %s (referenced by orders and invoices) under a load of %d tx/s, 8 connections, "
                + "half writes:%n", data.indexName(), rate);
        out.flush();
        List<RunResult> results = Comparison.run(contenders, stage, data.workload(),
                new Comparison.Load(rate, 8, 0.5, Duration.ofSeconds(1)), data.indexSql(), data.indexName(), line -> {
                    out.println("  " + line);
                    out.flush();
                });
        out.println();
        out.print(ComparisonTable.text(results));
        out.println();
        List<HtmlReport.Section> sections = new ArrayList<>();
        sections.add(new HtmlReport.Section("Act 1: rebuilding " + data.indexName(), "The primary key that orders "
                + "and invoices reference, rebuilt under the load.", results));
        List<RunResult> migrations = List.of();
        if (!noMigration) {
            migrations = migrate(out, data, stage, major);
            sections.add(new HtmlReport.Section("Act 2: a feature migration", "An index, a unique constraint, a "
                    + "new column with a foreign key, a CHECK" + (major >= 12 ? " and a NOT NULL" : "") + " on the "
                    + "busy tables: as a migration framework runs it (one transaction), then with zerolock apply.",
                    migrations));
        }
        String header = where + ", " + String.format("%,d", data.customers()) + " customers (three in four deleted), "
                + "load " + rate + " tx/s over 8 connections, half writes (update a customer + insert an order), "
                + "half point reads.";
        String html = HtmlReport.renderSections("zerolock demo: rebuilding a referenced primary key and migrating "
                + "under load", header, sections);
        try {
            Files.writeString(report, html, StandardCharsets.UTF_8);
            out.println("Report with a latency chart per run: " + report.toAbsolutePath());
        } catch (IOException e) {
            out.println("Could not write the report to " + report.toAbsolutePath() + ": " + e.getMessage());
        }
        out.println("Latency counts from when a transaction was due, so time queued behind a lock shows. Sessions "
                + "blocked and their waits come from the lock monitor zerolock runs during its own work.");
        out.println("On your own database: zerolock indexes -d postgresql://USER@HOST/DB, then zerolock reindex ... "
                + "--dry-run to see the plan.");
        out.flush();
        boolean failed = results.stream().anyMatch(result -> result.error() != null)
                || migrations.stream().filter(run -> run.contender().name().startsWith("zerolock"))
                        .anyMatch(run -> run.error() != null);
        return failed ? 1 : 0;
    }

    /** Act 2: the same feature migration as written (one transaction, as a framework runs it), then applied. */
    private List<RunResult> migrate(PrintWriter out, DemoData data, Comparison.Stage stage, int major)
            throws Exception {
        String migration = data.migration(major);
        List<Contender> contenders = new ArrayList<>();
        if (!noOutage) {
            contenders.add(Contender.migrationAsWritten("migration as written", migration));
        }
        contenders.add(Contender.zerolockApply(migration, data.schema()));
        out.printf("Act 2: a feature migration on the same busy tables (an index, a unique constraint, a foreign "
                + "key, a CHECK%s), under the same load:%n", major >= 12 ? ", a NOT NULL" : "");
        out.flush();
        List<RunResult> results = Comparison.run(contenders, stage, data.workload(),
                new Comparison.Load(rate, 8, 0.5, Duration.ofSeconds(1)), data.migrationIndexSql(),
                "V2__feature.sql", line -> {
                    out.println("  " + line);
                    out.flush();
                });
        out.println();
        out.print(ComparisonTable.text(results));
        out.println();
        return results;
    }

    private List<Strategy> strategies(int major) {
        if (strategy == null) {
            return List.of(major >= 12 ? Strategy.NATIVE : Strategy.SWAP);
        }
        if (strategy.equals("all")) {
            return major >= 12 ? List.of(Strategy.NATIVE, Strategy.SWAP) : List.of(Strategy.SWAP);
        }
        for (Strategy chosen : Strategy.values()) {
            if (chosen.id().equals(strategy)) {
                if (chosen == Strategy.NATIVE && major < 12) {
                    throw new ParameterException(spec.commandLine(), "--strategy native needs PostgreSQL 12+ "
                            + "(REINDEX CONCURRENTLY); use swap or all");
                }
                return List.of(chosen);
            }
        }
        throw new ParameterException(spec.commandLine(), "--strategy must be native, swap or all");
    }

    private static Connection connect(ConnectionTarget target) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
    }

    private static void execute(ConnectionTarget target, String sql) throws SQLException {
        try (Connection admin = connect(target); Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static EmbeddedPostgresServer startServer(int major) {
        try {
            return EmbeddedPostgresServer.start(major);
        } catch (EmbeddedPostgresException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, e.getMessage(), e);
        }
    }

    static final class BundledVersions implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BundledPostgres.releases().keySet().stream().map(String::valueOf).iterator();
        }
    }
}

package io.zerolock.cli;

import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.embedded.BundledPostgres;
import io.zerolock.embedded.EmbeddedPostgresException;
import io.zerolock.embedded.EmbeddedPostgresServer;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import io.zerolock.reindex.ReindexRequest;
import io.zerolock.reindex.Strategy;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", usageHelpAutoWidth = true,
        description = {"Start an embedded PostgreSQL (nothing to install), create a shop - a customers table whose "
                + "primary key two tables reference, and secondary indexes - bloat it by deleting three customers "
                + "in four, show zerolock's maintenance view of its indexes, and rebuild the referenced primary key "
                + "and a secondary index online, with their sizes before and after. The server and its data are "
                + "thrown away at the end."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./zerolock demo", "  ./zerolock demo --pg-version 11 --rows 200000",
                "  ./zerolock demo --strategy swap"})
final class DemoCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--pg-version", paramLabel = "MAJOR",
            description = "PostgreSQL major version to run (bundled: ${COMPLETION-CANDIDATES}; default: the newest).",
            completionCandidates = BundledVersions.class)
    Integer pgVersion;

    @Option(names = "--strategy", paramLabel = "native|swap", converter = ReindexCommand.StrategyConverter.class,
            description = "Rebuild strategy (default: native on 12+, swap before).")
    Strategy strategy;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "100000",
            description = "Customers to create (default: ${DEFAULT-VALUE}); orders and invoices scale with it.")
    int rows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws SQLException {
        if (rows < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rows must be at least 1");
        }
        int major = pgVersion == null ? BundledPostgres.newestMajor() : pgVersion;
        if (!BundledPostgres.releases().containsKey(major)) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "PostgreSQL " + major + " is not bundled with zerolock; "
                    + "available major versions: " + BundledPostgres.releases().keySet());
        }
        PrintWriter out = spec.commandLine().getOut();
        try (EmbeddedPostgresServer server = startServer(major)) {
            String database = server.createDatabase("zerolock_demo");
            long started = System.nanoTime();
            try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
                try (var rows = statement.executeQuery("SHOW server_version")) {
                    rows.next();
                    out.printf("zerolock demo: PostgreSQL %s (embedded, localhost:%d, database %s)%n",
                            rows.getString(1), server.port(), database);
                    out.flush();
                }
                for (String sql : DemoSchema.statements(rows)) {
                    statement.execute(sql);
                }
                for (String sql : DemoSchema.bloat()) {
                    statement.execute(sql);
                }
            }
            log.atInfo().setMessage("demo schema created and bloated").addKeyValue("customers", rows)
                    .addKeyValue("deleted", rows - rows / 4)
                    .addKeyValue("duration_ms", (System.nanoTime() - started) / 1_000_000).log();

            ConnectionTarget target = new ConnectionTarget(List.of(server.host()), List.of(server.port()), database,
                    EmbeddedPostgresServer.SUPERUSER, null, "none", null, "zerolock", Map.of());
            try (Zerolock zerolock = Zerolock.connect(target)) {
                out.println();
                out.println("Three customers in four were deleted and vacuumed: the indexes kept their pages.");
                out.println();
                out.println("$ zerolock indexes --schema " + DemoSchema.SCHEMA);
                out.print(IndexReport.table(zerolock.indexes(DemoSchema.SCHEMA, null)));
                out.println();
                out.println("ONLINE REBUILD names the strategies that can rebuild each index without blocking reads "
                        + "and writes on this server; where it says no, the note says why and what to do instead.");
                out.println();
                String command = "zerolock reindex shop.customers_pkey shop.customers_email_key"
                        + (strategy == null ? "" : " --strategy " + strategy.id());
                out.println("$ " + command);
                out.flush();
                List<ReindexOutcome> outcomes = zerolock.reindex(
                        ReindexRequest.indexes("shop.customers_pkey", "shop.customers_email_key"),
                        ReindexOptions.defaults().withStrategy(strategy), false);
                out.print(ReindexReport.render(outcomes, ReindexReport.Format.text, false));
                out.println();
                out.println("customers_pkey is referenced by the foreign keys of orders and invoices; both were "
                        + "kept as they were. Every step that could block reads or writes ran under a 1s "
                        + "lock_timeout, retried with backoff.");
                out.println("On your own database: zerolock indexes -d postgresql://USER@HOST/DB, then zerolock "
                        + "reindex ... --dry-run to see the plan.");
            }
            out.flush();
        }
        return 0;
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

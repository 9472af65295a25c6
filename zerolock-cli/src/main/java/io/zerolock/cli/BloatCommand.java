package io.zerolock.cli;

import io.zerolock.Zerolock;
import io.zerolock.bloat.BloatReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bloat", usageHelpAutoWidth = true,
        description = {"Estimate what rebuilding each index (and rewriting each table) would give back: its size "
                + "now, its size right after a rebuild, the difference as bytes and as a share, the method of the "
                + "estimate, its scans, and its last rebuild by zerolock. Biggest reclaim first.",
                "btree: a model of PostgreSQL's index build fed with sampled key widths and pg_stats' duplicates "
                        + "(deduplication, fillfactor, NULLs, INCLUDE, partial and expression indexes); GIN, GiST, "
                        + "SP-GiST: the same index built over a sample in a temporary table and scaled up; hash "
                        + "and BRIN: models of their builds; tables: rows times their width from pg_stats. Each "
                        + "rebuild zerolock does records its estimate beside the real size after, and later "
                        + "estimates of that index are corrected by the difference.",
                "Read-only: samples are read in read-only or rolled-back transactions under a 1 s lock_timeout."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock bloat -d app", "  zerolock bloat -d app --schema sales --min-size 10MB",
                "  zerolock bloat -d app --table orders --exact --format json"})
final class BloatCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--schema", paramLabel = "SCHEMA",
            description = "Only this schema (quote mixed case: '\"Sales\"').")
    String schema;

    @Option(names = "--table", paramLabel = "TABLE",
            description = "Only this table and its indexes ([schema.]name; a partitioned table: its partitions).")
    String table;

    @Option(names = "--min-size", paramLabel = "SIZE", defaultValue = "0", converter = ByteSizes.class,
            description = "Leave out relations smaller than SIZE, e.g. 10MB (default: none).")
    long minSize;

    @Option(names = "--exact",
            description = "Measure with pgstattuple where it is installed (btree, hash and tables): it reads every "
                    + "page of each relation, so it takes as long as a sequential scan of each.")
    boolean exact;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    StateSchemaOption stateSchema;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            BloatReport report = zerolock.bloat(schema, table, minSize, exact,
                    stateSchema.name(spec.commandLine()));
            spec.commandLine().getOut().print(format == Format.json ? BloatTable.json(report)
                    : BloatTable.text(report));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}

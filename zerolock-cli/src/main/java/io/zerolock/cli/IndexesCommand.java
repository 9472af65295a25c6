package io.zerolock.cli;

import io.zerolock.IndexStatus;
import io.zerolock.Zerolock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "indexes", usageHelpAutoWidth = true,
        description = {"List every index with its table, size, validity, the constraint it backs, the foreign keys "
                + "that depend on it, whether it can be rebuilt online on this server (and if not, why), what a "
                + "rebuild would give back (as zerolock bloat estimates it) and how often it is scanned.",
                "Read-only: creates nothing in the database."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock indexes -d app", "  zerolock indexes -d postgresql://app@db/app --schema sales",
                "  zerolock indexes -d app --table '\"Order Items\"' --format json"})
final class IndexesCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only this schema (quote mixed case: '\"Sales\"').")
    String schema;

    @Option(names = "--table", paramLabel = "TABLE",
            description = "Only this table ([schema.]name; unqualified names follow search_path).")
    String table;

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
            List<IndexStatus> statuses = zerolock.indexesWithBloat(schema, table,
                    stateSchema.name(spec.commandLine()));
            spec.commandLine().getOut().print(format == Format.json ? IndexReport.json(statuses)
                    : IndexReport.table(statuses));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}

package io.zerolock.cli;

import io.zerolock.Sizes;
import io.zerolock.Zerolock;
import io.zerolock.cleanup.CleanupOutcome;
import io.zerolock.cleanup.InvalidIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cleanup", usageHelpAutoWidth = true,
        description = {"Find every invalid index in the database and classify it: leftovers of a killed REINDEX "
                + "CONCURRENTLY (_ccnew, _ccold, with numeric suffixes and truncated names), working indexes of an "
                + "earlier zerolock run, and users' failed CREATE INDEX CONCURRENTLY. Leftovers are dropped with "
                + "DROP INDEX CONCURRENTLY under lock_timeout with retries; failed builds are reported (rebuilt "
                + "with REINDEX INDEX CONCURRENTLY with --rebuild-invalid). A valid index, or one a constraint uses, "
                + "is never dropped."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock cleanup -d app --dry-run", "  zerolock cleanup -d app",
                "  zerolock cleanup -d app --rebuild-invalid --lock-timeout 500ms"})
final class CleanupCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--dry-run", description = "Show what would be done, change nothing.")
    boolean dryRun;

    @Option(names = "--rebuild-invalid", description = "Rebuild users' failed builds with REINDEX INDEX CONCURRENTLY "
            + "(PostgreSQL 12+) instead of only reporting them.")
    boolean rebuildInvalid;

    @Mixin
    LockOptions locks;

    @Mixin
    StateSchemaOption state;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    ReindexReport.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        locks.validate(spec.commandLine());
        String stateSchema = state.name(spec.commandLine());
        List<CleanupOutcome> outcomes;
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            outcomes = zerolock.cleanup(rebuildInvalid, dryRun, locks.lockTimeout, locks.lockRetries, stateSchema);
        }
        spec.commandLine().getOut().print(format == ReindexReport.Format.json ? json(outcomes) : text(outcomes));
        spec.commandLine().getOut().flush();
        return outcomes.stream().anyMatch(o -> o.error() != null) ? 1 : 0;
    }

    private String text(List<CleanupOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return "No invalid indexes.\n";
        }
        List<List<String>> rows = new ArrayList<>();
        for (CleanupOutcome outcome : outcomes) {
            InvalidIndex invalid = outcome.invalid();
            rows.add(List.of(invalid.index().name().display(), invalid.index().table().display(),
                    Sizes.pretty(invalid.index().sizeBytes()), invalid.kind().description(), result(outcome)));
        }
        String table = TextTable.render(List.of("INDEX", "TABLE", "SIZE", "KIND", "ACTION"), rows);
        return dryRun ? table + "\nDry run: nothing was changed.\n" : table;
    }

    private String result(CleanupOutcome outcome) {
        InvalidIndex invalid = outcome.invalid();
        if (outcome.error() != null) {
            return "FAILED: " + outcome.error();
        }
        if (outcome.skipped() != null) {
            return "skipped for now: " + outcome.skipped();
        }
        return switch (invalid.action()) {
            case DROP -> dryRun ? "would drop concurrently" : "dropped";
            case REBUILD -> dryRun ? "would rebuild concurrently" : outcome.done() ? "rebuilt"
                    : "not rebuilt: REINDEX CONCURRENTLY needs PostgreSQL 12+; drop and re-create it concurrently";
            case REPORT -> "reported: rebuild with --rebuild-invalid, or drop it";
            case KEEP -> "kept: " + invalid.keepReason();
        };
    }

    private String json(List<CleanupOutcome> outcomes) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CleanupOutcome outcome : outcomes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", outcome.invalid().index().name().display());
            item.put("table", outcome.invalid().index().table().display());
            item.put("size_bytes", outcome.invalid().index().sizeBytes());
            item.put("kind", outcome.invalid().kind().name().toLowerCase(Locale.ROOT));
            item.put("action", outcome.invalid().action().name().toLowerCase(Locale.ROOT));
            item.put("done", outcome.done());
            item.put("error", outcome.error());
            item.put("skipped", outcome.skipped());
            list.add(item);
        }
        return TextTable.json(list);
    }
}

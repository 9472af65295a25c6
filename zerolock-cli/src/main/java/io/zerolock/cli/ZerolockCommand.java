package io.zerolock.cli;

import io.zerolock.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "zerolock",
        description = "Keeps PostgreSQL indexes and schemas healthy without downtime.",
        versionProvider = ZerolockCommand.VersionProvider.class,
        usageHelpAutoWidth = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./zerolock demo",
            "  zerolock indexes -d postgresql://app@db.internal/app --schema sales",
            "  zerolock reindex -d app public.orders_pkey --dry-run",
            "  zerolock cleanup -d app --dry-run",
            "  PGHOST=db PGUSER=app zerolock indexes --table orders --format json",
            "  zerolock version -d app",
            "",
            "Exit codes: 0 success, 1 operation failed (database unchanged or repaired),",
            "2 bad usage or refused target, 3 check findings at or above the failing severity.",
            "Connection: libpq conventions (-d/-h/-p/-U, PG* environment, ~/.pgpass)."})
public final class ZerolockCommand {

    /**
     * The commands, in the order help lists them. Registered by {@link Main} rather than in the annotation:
     * building picocli's model of every command costs a tenth of a second at each start, so a run builds
     * only the one it runs (all of them for help and mistakes).
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(IndexesCommand.class,
            BloatCommand.class, ReindexCommand.class, WorkerCommand.class, QueueCommand.class,
            HistoryCommand.class, CleanupCommand.class, ResumeCommand.class, CheckCommand.class, ApplyCommand.class, AlterTypeCommand.class,
            VersionCommand.class,
            DemoCommand.class, WarmUpCommand.class);

    @Option(names = "--help", usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--log-format", paramLabel = "logfmt|json", defaultValue = "logfmt", scope = ScopeType.INHERIT,
            converter = LogFormatConverter.class,
            description = "Log lines as key=value (default) or JSON objects, on standard error.")
    LogSetup.Format logFormat;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Log warnings and errors only.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log debug events and stack traces.")
    boolean verbose;

    static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"zerolock " + Version.current()};
        }
    }

    static final class LogFormatConverter implements picocli.CommandLine.ITypeConverter<LogSetup.Format> {
        @Override
        public LogSetup.Format convert(String value) {
            return switch (value) {
                case "logfmt", "text" -> LogSetup.Format.LOGFMT;
                case "json" -> LogSetup.Format.JSON;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "expected logfmt or json, got '" + value + "'");
            };
        }
    }
}

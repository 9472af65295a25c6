package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.apply.ApplyFailure;
import io.zerolock.apply.ApplyOptions;
import io.zerolock.apply.ApplyOutcome;
import io.zerolock.apply.ApplyRefused;
import io.zerolock.apply.MigrationFile;
import io.zerolock.apply.Refusal;
import io.zerolock.check.Checker;
import io.zerolock.execute.Backfill;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "apply", usageHelpAutoWidth = true,
        description = {"Run SQL migrations on a live database without locking it out: every statement that takes "
                + "a lock stronger than SHARE UPDATE EXCLUSIVE runs under lock_timeout with retries (never an "
                + "untimed try); statements that would lock a busy table run as their exact safe form (CREATE "
                + "INDEX -> CONCURRENTLY, DROP INDEX -> CONCURRENTLY, ADD FOREIGN KEY/CHECK -> NOT VALID + "
                + "VALIDATE, ADD UNIQUE/PRIMARY KEY -> index built concurrently + USING INDEX, SET NOT NULL -> "
                + "through a validated CHECK on 12+); what no rewrite makes safe is refused before anything runs "
                + "(-- zerolock:allow ZL0NN <reason> above a statement runs it as written, still bounded).",
                "Files are read in natural order (V2 before V10); applied ones are recorded in the state schema "
                        + "and skipped; a changed applied file is refused. Every step is journaled: a killed "
                        + "apply is finished by the next one."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock apply -d app db/migration",
                "  zerolock apply -d app db/migration/V42__add_email.sql --dry-run",
                "  zerolock apply -d app db/migration --lock-timeout 500ms --lock-retries 20 --format json"})
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Migration files, or directories of *.sql "
            + "files (recursively).")
    List<Path> paths;

    @Option(names = "--dry-run", description = "Print each statement, what it becomes, its locks and timeouts; "
            + "change nothing (not even the state schema).")
    boolean dryRun;

    @Option(names = "--no-rewrite", description = "Run statements as written (still under lock_timeout with "
            + "retries) instead of their safe forms.")
    boolean noRewrite;

    @Option(names = "--require-queued", description = "A CREATE INDEX or VALIDATE CONSTRAINT that the async queue "
            + "(zerolock queue) has not finished yet refuses the run, before anything runs, with the item's state. "
            + "Without it, apply builds such an item then and there; an index the queue built (valid, of exactly "
            + "the statement's definition) is skipped either way.")
    boolean requireQueued;

    @Mixin
    LockOptions locks;

    @Mixin
    WatchdogOptions watchdog;

    @Mixin
    BackfillOptions backfill;

    @Mixin
    GateOptions gate;

    @Option(names = "-P", paramLabel = "NAME=VALUE", description = "A value for a Flyway-style ${NAME} placeholder "
            + "in the migrations; a placeholder without one refuses its file (the checksum is of the file as "
            + "written).")
    Map<String, String> placeholders = new java.util.LinkedHashMap<>();

    @Mixin
    StateSchemaOption stateSchema;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    ReindexReport.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        locks.validate(spec.commandLine());
        ApplyOptions options;
        try {
            options = new ApplyOptions(locks.lockTimeout, locks.lockRetries, !noRewrite,
                    watchdog.watchdog(), stateSchema.name(spec.commandLine()),
                    backfill.throttle(Backfill.Throttle.defaults()), gate.limitsLeavingStandbysToTheBackfill(),
                    requireQueued);
        } catch (ZerolockException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<MigrationFile> files = read();
        List<ApplyOutcome> outcomes;
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            try {
                outcomes = zerolock.apply(files, options, dryRun, System.console() != null && !quiet()
                        ? new TerminalProgress(System.err) : progress -> { });
            } catch (ApplyRefused refused) {
                var err = spec.commandLine().getErr();
                err.println("error: nothing was run; " + (refused.refusals().size() == 1 ? "this statement is"
                        : refused.refusals().size() + " statements are") + " refused:");
                for (Refusal refusal : refused.refusals()) {
                    err.println("  " + refusal);
                }
                err.flush();
                return refused.code().exitCode();
            } catch (ApplyFailure failure) {
                spec.commandLine().getOut().print(ApplyReport.render(failure.outcomes(), format, false));
                spec.commandLine().getOut().flush();
                throw failure;
            }
        }
        spec.commandLine().getOut().print(ApplyReport.render(outcomes, format, dryRun));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private List<MigrationFile> read() {
        List<MigrationFile> files = new ArrayList<>();
        for (Map.Entry<String, Path> named : MigrationPaths.named(paths).entrySet()) {
            try {
                Checker.Source source = Checker.Source.read(named.getValue());
                if (source.readWarning() != null) {
                    throw new ZerolockException(ErrorCode.BAD_USAGE, named.getValue() + ": " + source.readWarning()
                            + "; apply runs only UTF-8 files");
                }
                io.zerolock.check.Templates.Result substituted = io.zerolock.check.Templates.substitute(source.sql(),
                        placeholders);
                if (!substituted.missing().isEmpty()) {
                    throw new ZerolockException(ErrorCode.BAD_USAGE, named.getValue() + ": placeholders without a "
                            + "value: " + String.join(", ", substituted.missing()) + "; nothing was run (give them "
                            + "with -P NAME=VALUE)");
                }
                files.add(new MigrationFile(named.getKey(), new Checker.Source(source.file(), substituted.text()),
                        source.sql()));
            } catch (IOException e) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + named.getValue() + ": "
                        + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "no *.sql files in " + paths);
        }
        return files;
    }

    private boolean quiet() {
        Object root = spec.root().userObject();
        return root instanceof ZerolockCommand command && command.quiet;
    }
}

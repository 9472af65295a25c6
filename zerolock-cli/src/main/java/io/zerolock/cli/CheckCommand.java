package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.check.Checker;
import io.zerolock.check.Severity;
import io.zerolock.check.CheckConfig;
import io.zerolock.cli.check.CheckOutput;
import io.zerolock.cli.check.TraceRunner;
import io.zerolock.check.trace.TraceVerdict;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.embedded.BundledPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", usageHelpAutoWidth = true,
        description = {"Check migrations for statements that would lock a busy table, before they reach production. "
                + "Files are read in order (a directory's *.sql files in natural order: V2 before V10); earlier "
                + "files are the schema's history, and what a file creates is new and empty within it. Each "
                + "finding says where, which lock, why it blocks, and the safe SQL instead. Exit code 3 when a "
                + "finding reaches --fail-on; -v also lists the statements no rule recognised.",
                "Silence one statement with a comment on the line before it: -- zerolock:ignore ZL001 <reason>. "
                        + "Project settings go in " + CheckConfig.FILE_NAME + " (pg-version, paths, exclude, fail-on, "
                        + "[severity])."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock check db/migration", "  zerolock check --pg-version 12 V3__add_index.sql",
                "  zerolock check db/migration --format sarif > zerolock.sarif",
                "  zerolock check db/migration --format github --fail-on warning",
                "  zerolock check db/migration --trace --pg-version 14",
                "  zerolock check db/migration --trace -d postgresql://me@scratch-db/postgres"})
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "Migration files or directories of them.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--pg-version", paramLabel = "MAJOR",
            description = "PostgreSQL major version the migrations will run on, 11 to 18 (default: the newest).")
    Integer pgVersion;

    @Option(names = "--format", paramLabel = "text|json|sarif|github", description = "Output format (default: text).")
    CheckOutput.Format format = CheckOutput.Format.text;

    @Option(names = "--fail-on", paramLabel = "error|warning|info|never",
            description = "Exit with code 3 when a finding is at least this severe (default: error).")
    String failOn;

    @Option(names = "--exclude", paramLabel = "RULE", split = ",", description = "Rules to leave out, e.g. ZL015.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--category", paramLabel = "CATEGORY", split = ",", description = "Only rules of these "
            + "categories: locks (blocks the application), compatibility (breaks running code: renames, drops), data "
            + "(removes rows). Default: all.")
    List<String> categories = new ArrayList<>();

    @Option(names = "--changed-since", paramLabel = "GIT_REF", description = "Report only on the files new or "
            + "changed since this git commit, branch or tag (committed or not); every file is still read, in order, "
            + "as history. For pull-request checks: --changed-since origin/main.")
    String changedSince;

    @Option(names = "--new", paramLabel = "FILE", split = ",", description = "Report only on these files (the "
            + "others are read as history).")
    List<Path> newFiles = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: " + CheckConfig.FILE_NAME + " in the current directory, if any).")
    Path config;

    @Option(names = "-P", paramLabel = "NAME=VALUE", description = "A value for a Flyway-style ${NAME} "
            + "placeholder in the migrations (also [placeholders] in " + CheckConfig.FILE_NAME + ").")
    java.util.Map<String, String> placeholders = new java.util.LinkedHashMap<>();

    @Option(names = "--timezone", paramLabel = "ZONE", description = "The session time zone the migrations run "
            + "with in production (the servers' timezone setting, e.g. UTC); a file's own SET TIME ZONE wins. Unknown "
            + "by default: then timestamp to timestamptz counts as a rewrite, and --trace replays in a zone that is "
            + "not UTC.")
    String timezone;

    @Option(names = "--runner", paramLabel = "RUNNER", description = "The migration runner, whose transaction "
            + "around each file (or changeset) is modelled: none (default: statements as written), flyway, liquibase, "
            + "diesel, prisma, golang-migrate. Each runner's way out is honoured (Flyway's non-transactional "
            + "statements and executeInTransaction, Liquibase's runInTransaction:false, diesel's metadata.toml).")
    String runner;

    @Option(names = "--role-lock-timeout", description = "Production sessions start with a lock_timeout (ALTER "
            + "ROLE or ALTER DATABASE ... SET lock_timeout): count it as set in every file (also role-lock-timeout = "
            + "true in the configuration).")
    boolean roleLockTimeout;

    @Option(names = "--trace", description = "Also replay the migrations on a scratch PostgreSQL of --pg-version "
            + "(embedded; or a server given with -d, where a scratch database is created and dropped) and confirm or "
            + "refute each finding with the locks, rewrites and scans the server really did.")
    boolean trace;

    @picocli.CommandLine.Mixin
    ConnectionMixin connection;

    /** Its {@code -v}: also list the statements no rule recognised. */
    @picocli.CommandLine.ParentCommand
    ZerolockCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CheckConfig settings = config != null ? CheckConfig.read(config)
                : Files.isRegularFile(Path.of(CheckConfig.FILE_NAME)) ? CheckConfig.read(Path.of(CheckConfig.FILE_NAME))
                : CheckConfig.none();
        int version = pgVersion != null ? pgVersion : settings.pgVersion() != null ? settings.pgVersion()
                : BundledPostgres.newestMajor();
        if (version < 11 || version > 18) {
            throw new ParameterException(spec.commandLine(), "--pg-version must be between 11 and 18");
        }
        Severity threshold = threshold(failOn != null ? failOn : settings.failOn() != null ? settings.failOn() : "error");
        List<Path> roots = !paths.isEmpty() ? paths : settings.paths().stream().map(Path::of).toList();
        if (roots.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give migration files or directories (or paths in "
                    + CheckConfig.FILE_NAME + ")");
        }
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>(settings.placeholders());
        values.putAll(placeholders);
        List<Checker.Source> sources = new ArrayList<>();
        List<Path> found = MigrationPaths.files(roots);
        if (found.isEmpty()) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "no migrations to check: " + roots + " holds no .sql "
                    + "file (name the files, or the directory that holds them)");
        }
        for (Path file : found) {
            try {
                Checker.Source read = Checker.Source.read(file);
                io.zerolock.check.Templates.Result substituted = io.zerolock.check.Templates.substitute(read.sql(),
                        values);
                String warning = read.readWarning();
                if (!substituted.missing().isEmpty()) {
                    String missing = "placeholders without a value, left as written: "
                            + String.join(", ", substituted.missing()) + " (give them with -P NAME=VALUE or "
                            + "[placeholders])";
                    warning = warning == null ? missing : warning + "; " + missing;
                }
                sources.add(new Checker.Source(read.file(), substituted.text(), warning));
            } catch (IOException e) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage());
            }
        }
        Set<String> excluded = new HashSet<>(settings.exclude());
        excluded.addAll(exclude);
        if (!categories.isEmpty()) {
            Set<io.zerolock.check.Category> wanted = new HashSet<>();
            for (String category : categories) {
                try {
                    wanted.add(io.zerolock.check.Category.of(category));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--category: " + e.getMessage());
                }
            }
            io.zerolock.check.rules.Rules.all().stream().filter(rule -> !wanted.contains(rule.category()))
                    .forEach(rule -> excluded.add(rule.id()));
        }
        if (connection.given() && !trace) {
            throw new ParameterException(spec.commandLine(), "-d and the other connection options are for --trace");
        }
        io.zerolock.ConnectionTarget server = trace && connection.given()
                ? ConnectionResolver.forThisProcess().resolve(connection.options()) : null;
        if (server != null && pgVersion == null && settings.pgVersion() == null) {
            version = TraceRunner.serverMajor(server); // the server given is the version to check for
        }
        String zone = timezone != null ? timezone : settings.timezone();
        io.zerolock.check.Runner migrationRunner;
        try {
            migrationRunner = io.zerolock.check.Runner.of(runner != null ? runner
                    : settings.runner() != null ? settings.runner() : "none");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--runner: " + e.getMessage());
        }
        Checker.Report report = Checker.check(sources, version, excluded, settings.severity(),
                new Checker.Session(zone, migrationRunner, roleLockTimeout || settings.roleLockTimeout()));
        TraceVerdict.Result traced = null;
        if (trace) {
            traced = TraceRunner.run(report, sources, version, server, zone);
            report = traced.report();
        }
        if (changedSince != null || !newFiles.isEmpty()) {
            Set<Path> reported = new HashSet<>();
            newFiles.forEach(file -> reported.add(file.toAbsolutePath().normalize()));
            if (changedSince != null) {
                reported.addAll(ChangedFiles.since(changedSince, roots.get(0)));
            }
            report = report.only(file -> reported.contains(Path.of(file).toAbsolutePath().normalize()));
        }
        spec.commandLine().getOut().print(CheckOutput.render(report, sources.size(), format,
                root != null && root.verbose, traced));
        spec.commandLine().getOut().flush();
        boolean failed = threshold != null && report.findings().stream().anyMatch(f -> f.severity().atLeast(threshold));
        return failed ? ErrorCode.CHECK_FINDINGS.exitCode() : 0;
    }

    private Severity threshold(String value) {
        if (value.equalsIgnoreCase("never")) {
            return null;
        }
        try {
            return Severity.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fail-on must be error, warning, info or never");
        }
    }
}

package io.zerolock.check;

import io.zerolock.check.lex.Splitter;
import io.zerolock.check.lex.Token;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.check.recognize.Recognizer;
import io.zerolock.check.rules.Context;
import io.zerolock.check.rules.Locks;
import io.zerolock.check.rules.MigrationState;
import io.zerolock.check.rules.Placeholders;
import io.zerolock.check.rules.Rule;
import io.zerolock.check.rules.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static half of {@code zerolock check}: reads the migrations in order (earlier files are the
 * schema's history; what a file creates is new and empty within it), recognises each statement, tracks
 * transactions, settings and locks, and applies every rule for the chosen PostgreSQL version.
 */
public final class Checker {

    private static final Pattern IGNORE = Pattern.compile("--\\s*zerolock:ignore\\s+((?:ZL\\d{3}[,\\s]*)+)(.*)");

    /** One migration file's text. */
    public record Source(String file, String sql) {}

    /** A statement the recogniser did not follow: no rule looked at it. */
    public record Unrecognized(String file, int line, String firstWords) {}

    /** @param files the files checked, in the order read */
    public record Report(int pgVersion, int statements, List<Finding> findings, List<Splitter.Warning> warnings,
            List<Unrecognized> unrecognized, List<String> files) {

        public Report {
            findings = List.copyOf(findings);
            warnings = List.copyOf(warnings);
            unrecognized = List.copyOf(unrecognized);
            files = List.copyOf(files);
        }
    }

    private Checker() {}

    /** @param excluded rule ids to leave out */
    public static Report check(List<Source> sources, int pgVersion, Set<String> excluded) {
        return check(sources, pgVersion, excluded, java.util.Map.of());
    }

    /**
     * @param excluded rule ids to leave out
     * @param severities rule ids whose severity the project's configuration changes
     */
    public static Report check(List<Source> sources, int pgVersion, Set<String> excluded,
            java.util.Map<String, Severity> severities) {
        List<Rule> rules = Rules.all().stream().filter(rule -> rule.appliesTo(pgVersion))
                .filter(rule -> !excluded.contains(rule.id())).toList();
        MigrationState state = new MigrationState();
        List<Finding> findings = new ArrayList<>();
        List<Splitter.Warning> warnings = new ArrayList<>();
        List<Unrecognized> unrecognized = new ArrayList<>();
        int statements = 0;
        for (Source source : sources) {
            state.newFile();
            Splitter.Result split = Splitter.split(source.file(), source.sql());
            warnings.addAll(split.warnings());
            for (Splitter.Statement statement : split.statements()) {
                statements++;
                Recognized recognized = Recognizer.recognize(statement);
                if (recognized instanceof Recognized.Unknown unknown) {
                    unrecognized.add(new Unrecognized(statement.file(), statement.line(), unknown.firstWords()));
                }
                Set<String> ignored = ignored(statement);
                Context context = new Context(statement, recognized, pgVersion, state);
                for (Rule rule : rules) {
                    if (ignored.contains(rule.id())) {
                        continue;
                    }
                    rule.check(context).ifPresent(message -> findings.add(new Finding(rule.id(), rule.name(),
                            severities.getOrDefault(rule.id(), rule.severity()), statement.file(), statement.line(), statement.column(),
                            statement.text(), message, rule.why(), Placeholders.fill(rule.safe(), recognized), null)));
                }
                // SHARE or stronger on a table that has rows: held to COMMIT inside a transaction
                state.apply(recognized, Locks.blockingLock(recognized, state), statement.line());
            }
        }
        return new Report(pgVersion, statements, findings, warnings, unrecognized,
                sources.stream().map(Source::file).toList());
    }

    /** {@code -- zerolock:ignore ZL001 reason} in the comments just before the statement. */
    private static Set<String> ignored(Splitter.Statement statement) {
        Set<String> ids = new java.util.HashSet<>();
        for (Token comment : statement.comments()) {
            Matcher matcher = IGNORE.matcher(comment.text());
            if (matcher.matches()) {
                for (String id : matcher.group(1).split("[,\\s]+")) {
                    if (!id.isBlank()) {
                        ids.add(id.trim());
                    }
                }
            }
        }
        return ids;
    }
}

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

    private static final Pattern IGNORE = Pattern.compile("--\\s*zerolock:ignore\\b\\s*((?:[A-Za-z]+\\d+[,\\s]*)*)(.*)");

    /**
     * One migration file's text.
     *
     * @param sql its text; a byte-order mark left by an editor is dropped, it is not part of the first statement
     * @param readWarning how reading it went wrong but on (not UTF-8), or null
     */
    public record Source(String file, String sql, String readWarning) {

        public Source {
            sql = sql.startsWith("\uFEFF") ? sql.substring(1) : sql;
        }

        public Source(String file, String sql) {
            this(file, sql, null);
        }

        /**
         * Reads a migration file as PostgreSQL clients do: UTF-8, a byte-order mark dropped. A file that is
         * not valid UTF-8 is read as Latin-1 (every byte is a character, so SQL keywords still read) with a
         * warning saying so, instead of stopping the whole check.
         */
        public static Source read(java.nio.file.Path path) throws java.io.IOException {
            byte[] bytes = java.nio.file.Files.readAllBytes(path);
            String warning = null;
            String text;
            try {
                text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
                warning = "not valid UTF-8: read as Latin-1 (ISO-8859-1); convert it to UTF-8 (client_encoding is "
                        + "what the server will assume)";
            }
            return new Source(path.toString(), text, warning);
        }
    }

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

        /**
         * What to report of a pull request: every file was read as history, findings and warnings are kept
         * only for these files (new or changed).
         */
        public Report only(java.util.function.Predicate<String> reported) {
            return new Report(pgVersion, statements, findings.stream().filter(f -> reported.test(f.file())).toList(),
                    warnings.stream().filter(w -> reported.test(w.file())).toList(),
                    unrecognized.stream().filter(u -> reported.test(u.file())).toList(), files);
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
        return check(sources, pgVersion, excluded, severities, Session.asWritten());
    }

    /**
     * How production runs the migrations, as far as the checker models it.
     *
     * @param timeZone the session time zone, or null when unknown
     * @param runner the migration runner, whose transactions are modelled
     * @param lockTimeoutByDefault the role or database sets a lock_timeout (ALTER ROLE/DATABASE ... SET
     *     lock_timeout), so every session starts with one, and SET lock_timeout TO DEFAULT keeps one
     */
    public record Session(String timeZone, Runner runner, boolean lockTimeoutByDefault,
            java.util.function.Function<io.zerolock.check.recognize.Name, java.util.Map<String, String>> existingColumns,
            java.util.function.BiPredicate<io.zerolock.check.recognize.Name, String> existingNotNull) {

        public Session(String timeZone, Runner runner, boolean lockTimeoutByDefault) {
            this(timeZone, runner, lockTimeoutByDefault, null, null);
        }

        public static Session asWritten() {
            return new Session(null, Runner.NONE, false);
        }

        /**
         * As written, against a database whose tables' columns (name to type) this function knows, for
         * tables the migrations do not create (null when it does not know the table).
         */
        public static Session against(
                java.util.function.Function<io.zerolock.check.recognize.Name, java.util.Map<String, String>> columns,
                java.util.function.BiPredicate<io.zerolock.check.recognize.Name, String> notNull) {
            return new Session(null, Runner.NONE, false, columns, notNull);
        }
    }

    /** @param session how production runs the migrations: time zone, runner, a lock_timeout by default */
    public static Report check(List<Source> sources, int pgVersion, Set<String> excluded,
            java.util.Map<String, Severity> severities, Session session) {
        Runner runner = session.runner();
        Rules.requireKnown(excluded, "--exclude");
        Rules.requireKnown(severities.keySet(), "[severity]");
        List<Rule> rules = Rules.all().stream().filter(rule -> rule.appliesTo(pgVersion))
                .filter(rule -> !excluded.contains(rule.id())).toList();
        MigrationState state = new MigrationState(session.timeZone(), pgVersion, session.lockTimeoutByDefault());
        state.existingColumns(session.existingColumns());
        state.existingNotNull(session.existingNotNull());
        List<Finding> findings = new ArrayList<>();
        List<Splitter.Warning> warnings = new ArrayList<>();
        List<Unrecognized> unrecognized = new ArrayList<>();
        int statements = 0;
        for (Source source : sources) {
            state.newFile();
            if (source.readWarning() != null) {
                warnings.add(new Splitter.Warning(source.file(), 1, 1, source.readWarning()));
            }
            String sql = source.sql();
            Splitter.Result split = Splitter.split(source.file(), sql);
            warnings.addAll(split.warnings());
            int unrecognizedBefore = unrecognized.size();
            boolean nonTransactional = split.statements().stream().anyMatch(s -> Runner.nonTransactional(s.text()));
            if (runner == Runner.FLYWAY && nonTransactional && split.statements().stream()
                    .anyMatch(s -> !Runner.nonTransactional(s.text()))) {
                warnings.add(new Splitter.Warning(source.file(), 1, 1, "Flyway refuses a migration that mixes "
                        + "statements that cannot run in a transaction (CONCURRENTLY, VACUUM) with others, unless "
                        + "flyway.mixed=true, which then runs the whole file without a transaction: put the "
                        + "non-transactional statement in a file of its own"));
            }
            if (runner.wrapsFile(source.file(), sql, nonTransactional)) {
                state.runnerTransaction();
            }
            for (Splitter.Statement statement : withDoBlocksOpened(split.statements(), warnings)) {
                statements++;
                if (runner == Runner.LIQUIBASE) {
                    for (Token comment : statement.comments()) {
                        if (comment.text().matches("(?is)--\\s*changeset\\b.*")) {
                            state.runnerCommit();
                            if (Runner.wrapsChangeset(comment.text())) {
                                state.runnerTransaction();
                            }
                        }
                    }
                }
                Recognized recognized;
                try {
                    recognized = Recognizer.recognize(statement);
                } catch (RuntimeException e) {
                    recognized = new Recognized.Unknown(statement.text().strip().split("\\s+", 2)[0]);
                }
                if (recognized instanceof Recognized.Unknown unknown) {
                    unrecognized.add(new Unrecognized(statement.file(), statement.line(), unknown.firstWords()));
                }
                Set<String> ignored = ignored(statement);
                Context context = new Context(statement, recognized, pgVersion, state);
                for (Rule rule : rules) {
                    if (ignored.contains(rule.id())) {
                        continue;
                    }
                    // one odd statement never costs the report: at worst a warning where it is, and the rest goes on
                    try {
                        rule.check(context).ifPresent(message -> findings.add(new Finding(rule.id(), rule.name(),
                                severities.getOrDefault(rule.id(), rule.severity()), statement.file(), statement.line(),
                                statement.column(), statement.text(), message, rule.why(),
                                rule.safeFor(context), null, rule.rewrite(context).orElse(null))));
                    } catch (RuntimeException e) {
                        warnings.add(new Splitter.Warning(statement.file(), statement.line(), statement.column(),
                                "rule " + rule.id() + " could not check this statement (" + e + "); the other rules "
                                        + "and statements were checked"));
                    }
                }
                // SHARE or stronger on a table that has rows: held to COMMIT inside a transaction
                try {
                    state.apply(recognized, Locks.blockingLock(recognized, state), statement.line());
                } catch (RuntimeException e) {
                    warnings.add(new Splitter.Warning(statement.file(), statement.line(), statement.column(),
                            "could not follow what this statement does to the schema (" + e + "); later statements "
                                    + "are checked without it"));
                }
            }
            state.runnerCommit();
            int notRead = unrecognized.size() - unrecognizedBefore;
            if (split.statements().size() >= 2 && notRead * 2 > split.statements().size()) {
                // a file the checker mostly cannot read is a file it did not check: say so, not nothing
                warnings.add(new Splitter.Warning(source.file(), 1, 1, notRead + " of " + split.statements().size()
                        + " statements were not recognised, so not checked (templated SQL? give ${placeholders} "
                        + "values with -P or [placeholders]; another database's dialect?); -v lists them"));
            }
        }
        return new Report(pgVersion, statements, findings, warnings, unrecognized,
                sources.stream().map(Source::file).toList());
    }

    private static final Pattern CONSTANT_EXECUTE = Pattern.compile("(?is)\\bEXECUTE\\s+'((?:[^']|'')*)'");
    private static final Pattern DDL = Pattern.compile(
            "(?is)\\b(ALTER|CREATE|DROP|TRUNCATE|REINDEX|CLUSTER|VACUUM|REFRESH|LOCK)\\s+[A-Za-z]");

    /**
     * A {@code DO} block's DDL runs where the block runs: each {@code EXECUTE '...'} of a constant string
     * is checked as a statement at the block's place; DDL the block runs otherwise (dynamic SQL, DDL in
     * PL/pgSQL itself) cannot be followed statically, and a warning says that --trace will see it.
     */
    private static List<Splitter.Statement> withDoBlocksOpened(List<Splitter.Statement> statements,
            List<Splitter.Warning> warnings) {
        List<Splitter.Statement> opened = new ArrayList<>();
        for (Splitter.Statement statement : statements) {
            opened.add(statement);
            List<Token> body = statement.body();
            if (body.isEmpty() || !body.get(0).is("do")) {
                continue;
            }
            Token code = body.stream().filter(t -> t.kind() == Token.Kind.DOLLAR_STRING
                    || t.kind() == Token.Kind.STRING).findFirst().orElse(null);
            if (code == null) {
                continue;
            }
            String text = code.kind() == Token.Kind.STRING ? code.stringValue() : dollarContent(code.text());
            if (text == null) {
                continue;
            }
            Matcher constant = CONSTANT_EXECUTE.matcher(text);
            StringBuilder rest = new StringBuilder();
            int last = 0;
            while (constant.find()) {
                String inner = constant.group(1).replace("''", "'");
                for (Splitter.Statement nested : Splitter.split(statement.file(), inner + ";").statements()) {
                    opened.add(new Splitter.Statement(statement.file(), statement.line(), statement.column(),
                            nested.text(), nested.tokens(), statement.comments()));
                }
                rest.append(text, last, constant.start());
                last = constant.end();
            }
            rest.append(text.substring(last));
            // DDL words in comments and string literals (a RAISE message) are not DDL
            String code0 = rest.toString().replaceAll("(?m)--.*$", "").replaceAll("'(?:[^']|'')*'", "''");
            if (DDL.matcher(code0).find()) {
                warnings.add(new Splitter.Warning(statement.file(), statement.line(), statement.column(), "this DO "
                        + "block runs DDL that cannot be followed without running it (dynamic SQL, or DDL in PL/pgSQL): "
                        + "not checked; --trace runs it and sees its locks and rewrites"));
            }
        }
        return opened;
    }

    /** The code between a dollar quote's opening and closing tags. */
    private static String dollarContent(String quoted) {
        int open = quoted.indexOf('$', 1);
        if (open < 0 || quoted.length() < 2 * (open + 1)) {
            return null;
        }
        return quoted.substring(open + 1, quoted.length() - (open + 1));
    }

    /** {@code -- zerolock:ignore ZL001 reason} in the comments just before the statement. */
    private static Set<String> ignored(Splitter.Statement statement) {
        Set<String> ids = new java.util.HashSet<>();
        for (Token comment : statement.comments()) {
            Matcher matcher = IGNORE.matcher(comment.text());
            if (matcher.matches()) {
                Set<String> named = new java.util.LinkedHashSet<>();
                for (String id : matcher.group(1).split("[,\\s]+")) {
                    if (!id.isBlank()) {
                        named.add(id.trim().toUpperCase(java.util.Locale.ROOT));
                    }
                }
                if (named.isEmpty()) {
                    throw new io.zerolock.ZerolockException(io.zerolock.ErrorCode.BAD_USAGE, statement.file() + ":"
                            + comment.line() + ": -- zerolock:ignore names no rule; write the ids, then the reason: "
                            + "-- zerolock:ignore ZL001 built in the maintenance window");
                }
                ids.addAll(named);
                Rules.requireKnown(ids, statement.file() + ":" + comment.line() + ": -- zerolock:ignore");
            }
        }
        return ids;
    }
}

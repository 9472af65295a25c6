package io.zerolock.liquibase;

import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.check.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.command.AbstractCommandStep;
import liquibase.command.CommandResultsBuilder;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.exception.CommandExecutionException;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

/**
 * Lint before update: before Liquibase runs anything, the SQL of every pending changeset (SQL changesets as
 * written, and what Liquibase generates for {@code createIndex}, {@code addForeignKeyConstraint},
 * {@code addNotNullConstraint}, {@code addUniqueConstraint}, {@code modifyDataType}...) is checked as {@code
 * zerolock check} checks migrations, the changesets already run read first as history; the update stops, with
 * the findings, when one reaches {@code liquibase.zerolock.failOn} (error by default). A step of Liquibase's
 * {@code update} command, found through {@code META-INF/services}: it runs first in the pipeline, and the
 * check itself when the update takes Liquibase's lock ({@link ZerolockLockService}), once the changelog is
 * read and before any changeset runs.
 */
public final class ZerolockCheckStep extends AbstractCommandStep {

    @Override
    public String[][] defineCommandNames() {
        return new String[][] {{"update"}};
    }

    /** The update command this thread runs now, for the lock service to check once its changelog is read. */
    private static final ThreadLocal<CommandScope> UPDATE = new ThreadLocal<>();

    /**
     * First in the update's pipeline (it needs nothing): notes the command, whose database and changelog the
     * steps after it provide; the check runs when the update takes Liquibase's lock, before any changeset.
     */
    @Override
    public void run(CommandResultsBuilder resultsBuilder) {
        UPDATE.set(resultsBuilder.getCommandScope());
    }

    /** Checks the update this thread runs, if any (once: a second lock taken in the same update is not). */
    static void checkCurrentUpdate(Database database) throws Exception {
        CommandScope scope = UPDATE.get();
        UPDATE.remove();
        if (scope == null) {
            return;
        }
        Object changeLog = scope.getDependency(DatabaseChangeLog.class);
        if (changeLog instanceof DatabaseChangeLog parsed) {
            check(database, parsed);
        }
    }

    private static void check(Database database, DatabaseChangeLog changeLog) throws Exception {
        if (!(database instanceof PostgresDatabase)) {
            return;
        }
        Severity failOn = severity(ZerolockLiquibaseConfiguration.FAIL_ON.getCurrentValue());
        List<RanChangeSet> ran = ranChangeSets(database);
        List<Checker.Source> sources = new ArrayList<>();
        Set<String> pending = new HashSet<>();
        for (ChangeSet changeSet : changeLog.getChangeSets()) {
            String name = changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor();
            String sql;
            try {
                sql = sql(changeSet, database);
            } catch (Exception e) {
                Scope.getCurrentScope().getLog(ZerolockCheckStep.class).warning("zerolock: cannot generate the SQL "
                        + "of " + name + " to check it: " + e.getMessage());
                continue;
            }
            sources.add(new Checker.Source(name, sql));
            if (!changeSet.isIgnore() && ran.stream().noneMatch(done -> done.isSameAs(changeSet))) {
                pending.add(name);
            }
        }
        // every statement runs under lock_timeout (BoundedJdbcExecutor): the rule that asks for one has nothing to say
        Set<String> excluded = BoundedJdbcExecutor.lockTimeout().isZero() ? Set.of() : Set.of("ZL022");
        List<Finding> findings = Checker.check(sources, database.getDatabaseMajorVersion(), excluded).findings()
                .stream().filter(finding -> pending.contains(finding.file())).toList();
        if (findings.isEmpty()) {
            return;
        }
        String report = Finding.describe(findings);
        if (failOn != null && findings.stream().anyMatch(finding -> finding.severity().atLeast(failOn))) {
            throw new CommandExecutionException("zerolock: the pending changesets would lock busy tables; nothing "
                    + "was run.\n" + report + "Make the changes safe (zerolock check shows how; a changeset with "
                    + "runInTransaction: false gets CONCURRENTLY and NOT VALID + VALIDATE), or set "
                    + "liquibase.zerolock.failOn to let them through.");
        }
        Scope.getCurrentScope().getLog(ZerolockCheckStep.class).warning("zerolock: findings in the pending changesets (below "
                + "liquibase.zerolock.failOn):\n" + report);
    }

    /** The changeset's SQL as Liquibase will run it (the changeset in scope, so its online forms apply). */
    private static String sql(ChangeSet changeSet, Database database) throws Exception {
        StringBuilder text = new StringBuilder();
        Scope.child(Scope.Attr.changeSet.name(), changeSet, () -> {
            for (Change change : changeSet.getChanges()) {
                for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(change, database)) {
                    String statement = sql.toSql().strip();
                    text.append(statement).append(statement.endsWith(";") ? "\n" : ";\n");
                }
            }
        });
        return text.toString();
    }

    /** The changesets the database has run; none when it has no changelog table yet. */
    private static List<RanChangeSet> ranChangeSets(Database database) {
        try {
            return Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class)
                    .getChangeLogService(database).getRanChangeSets();
        } catch (liquibase.exception.DatabaseException | RuntimeException e) {
            return List.of();
        }
    }

    private static Severity severity(String value) {
        String id = value == null ? "error" : value.strip().toLowerCase(Locale.ROOT);
        if (id.equals("never")) {
            return null;
        }
        try {
            return Severity.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("liquibase.zerolock.failOn must be error, warning, info or never, not "
                    + value, e);
        }
    }
}

package io.zerolock.flyway;

import io.zerolock.catalog.QualifiedName;
import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.check.Severity;
import io.zerolock.check.Templates;
import io.zerolock.execute.Executor;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zerolock inside a Flyway migrate: register it as a callback ({@code flyway.callbacks=
 * io.zerolock.flyway.ZerolockCallback}, the Maven plugin's {@code <callbacks>}, or {@code
 * Flyway.configure().callbacks(new ZerolockCallback())}).
 * <ul>
 * <li>Before anything runs, the pending SQL migrations are checked as {@code zerolock check} checks them (the
 *     applied ones read first, as history), and the migrate stops, with the findings, when one reaches
 *     {@code flyway.zerolock.failOn} (error by default).
 * <li>Each migration runs under {@code lock_timeout} ({@code flyway.zerolock.lockTimeout}, 1 s by default), so a
 *     statement behind a lock fails after it instead of stopping every session queued behind it.
 * <li>A migration with a concurrent statement is refused while Flyway's PostgreSQL lock is transactional: that
 *     lock keeps a transaction open for the whole migrate, which the concurrent build waits for, forever.
 * <li>After a migration fails, an index its concurrent build left invalid is dropped concurrently, so a rerun
 *     builds it again instead of {@code IF NOT EXISTS} accepting an index nothing can use.
 * </ul>
 */
public final class ZerolockCallback implements Callback {

    private static final Logger log = LoggerFactory.getLogger(ZerolockCallback.class);

    private static final Pattern CONCURRENT = Pattern.compile("(?i)\\bCONCURRENTLY\\b");

    /** Invalid indexes there were before the migration that is running, by OID. */
    private final Set<Long> invalidBefore = new HashSet<>();

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE || event == Event.BEFORE_EACH_MIGRATE
                || event == Event.AFTER_EACH_MIGRATE_ERROR || event == Event.AFTER_MIGRATE
                || event == Event.AFTER_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "zerolock";
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            switch (event) {
                case BEFORE_MIGRATE -> checkPending(context);
                case BEFORE_EACH_MIGRATE -> beforeEach(context);
                case AFTER_EACH_MIGRATE_ERROR -> dropFailedBuilds(context);
                default -> reset(context.getConnection());
            }
        } catch (SQLException e) {
            throw new FlywayException("zerolock: " + e.getMessage(), e);
        }
    }

    static ZerolockFlywayConfiguration settings(Configuration configuration) {
        ZerolockFlywayConfiguration settings = configuration.getPluginRegister()
                .getExact(ZerolockFlywayConfiguration.class);
        return settings == null ? new ZerolockFlywayConfiguration() : settings;
    }

    /** The pending SQL migrations checked, with the applied ones before them as history. */
    private void checkPending(Context context) throws SQLException {
        Configuration configuration = context.getConfiguration();
        io.zerolock.check.CheckConfig project = settings(configuration).project();
        Severity failOn = settings(configuration).failOnSeverity(project);
        Map<String, String> placeholders = new LinkedHashMap<>(project.placeholders());
        placeholders.putAll(configuration.getPlaceholders()); // Flyway's own win
        boolean bounded = !settings(configuration).lockTimeoutDuration().isZero();
        MigrationInfo[] all = Flyway.configure(configuration.getClassLoader()).configuration(configuration).load()
                .info().all();
        List<Checker.Source> sources = new ArrayList<>();
        Set<String> pending = new HashSet<>();
        for (MigrationInfo info : all) {
            String sql = script(configuration, info);
            if (sql == null) {
                continue; // a Java migration, or one Flyway cannot find any more: nothing to read
            }
            sources.add(new Checker.Source(info.getScript(), Templates.substitute(sql, placeholders).text()));
            // what this migrate will run: pending (not above a target, not ignored), or a changed repeatable
            if (info.getState() == MigrationState.PENDING || info.getState() == MigrationState.OUTDATED) {
                pending.add(info.getScript());
            }
        }
        int major = context.getConnection().getMetaData().getDatabaseMajorVersion();
        // every statement runs under lock_timeout (below): the rule that asks for one has nothing to say
        Set<String> excluded = new HashSet<>(project.exclude());
        if (bounded) {
            excluded.add("ZL022");
        }
        List<Finding> findings = Checker.check(sources, major, excluded, project.severity()).findings().stream()
                .filter(finding -> pending.contains(finding.file())).toList();
        if (findings.isEmpty()) {
            return;
        }
        String report = Finding.describe(findings);
        if (failOn != null && findings.stream().anyMatch(finding -> finding.severity().atLeast(failOn))) {
            throw new FlywayException("zerolock: the pending migrations would lock busy tables; nothing was run.\n"
                    + report + "Make the statements safe (zerolock check shows how), or set "
                    + ZerolockFlywayConfiguration.FAIL_ON + " to let them through.");
        }
        log.warn("zerolock: findings in the pending migrations (below {}):\n{}", ZerolockFlywayConfiguration.FAIL_ON,
                report);
    }

    /** lock_timeout for the migration, or a refusal when its concurrent build would wait for Flyway forever. */
    private void beforeEach(Context context) throws SQLException {
        Configuration configuration = context.getConfiguration();
        String sql = script(configuration, context.getMigrationInfo());
        boolean concurrent = sql != null && CONCURRENT.matcher(sql).find();
        if (concurrent && transactionalLock(configuration)) {
            throw new FlywayException("zerolock: " + context.getMigrationInfo().getScript() + " builds or drops "
                    + "concurrently, which waits for every transaction open when it starts; Flyway's PostgreSQL "
                    + "lock keeps one open for the whole migrate (flyway.postgresql.transactional.lock=true), so it "
                    + "would wait forever. Set flyway.postgresql.transactional.lock=false (Flyway then holds a "
                    + "session lock instead); nothing of this migration was run.");
        }
        invalidBefore.clear();
        invalidBefore.addAll(new io.zerolock.catalog.CatalogReader(context.getConnection()).invalidIndexOids());
        Duration timeout = settings(configuration).lockTimeoutDuration();
        try (Statement statement = context.getConnection().createStatement()) {
            // a concurrent build waits for old transactions through the lock manager: a lock_timeout would
            // cancel it for a transaction that is merely slow, so it runs without one
            statement.execute("SET lock_timeout = '" + (concurrent ? 0 : timeout.toMillis()) + "ms'");
        }
    }

    /** After a failed migration: the indexes it left invalid, dropped concurrently on a connection of their own. */
    private void dropFailedBuilds(Context context) throws SQLException {
        Configuration configuration = context.getConfiguration();
        try (Connection work = configuration.getDataSource().getConnection()) {
            work.setAutoCommit(true);
            io.zerolock.catalog.CatalogReader catalog = new io.zerolock.catalog.CatalogReader(work);
            List<QualifiedName> left = new ArrayList<>();
            for (long oid : catalog.invalidIndexOids()) {
                if (!invalidBefore.contains(oid)) {
                    catalog.relationName(oid).ifPresent(left::add);
                }
            }
            Duration timeout = settings(configuration).lockTimeoutDuration();
            LockPolicy policy = LockPolicy.bounded(timeout.isZero() ? Duration.ofSeconds(1) : timeout, 10);
            for (QualifiedName index : left) {
                log.warn("zerolock: {} left the index {} invalid (a failed concurrent build): dropping it "
                        + "concurrently, so that the next migrate builds it again", context.getMigrationInfo()
                        .getScript(), index.display());
                new Executor(work).run(Plan.dropConcurrently(index.display(), "flyway", "drop-invalid",
                        "drop the index a failed concurrent build left", index.sql(), List.of(), policy));
            }
        }
    }

    private static void reset(Connection connection) throws SQLException {
        if (!connection.isClosed()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET lock_timeout");
            }
        }
    }


    /** Whether Flyway holds its PostgreSQL lock in a transaction that stays open for the whole migrate. */
    private static boolean transactionalLock(Configuration configuration) {
        org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension postgres = configuration.getPluginRegister()
                .getExact(org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension.class);
        return postgres == null || postgres.isTransactionalLock();
    }

    /** The text of a SQL migration, from where Flyway found it; null for a Java migration. */
    private static String script(Configuration configuration, MigrationInfo info) {
        String script = info.getScript();
        boolean sql = false;
        for (String suffix : configuration.getSqlMigrationSuffixes()) {
            sql |= script.endsWith(suffix);
        }
        if (!sql) {
            return null;
        }
        Charset encoding = configuration.getEncoding();
        try {
            String physical = info.getPhysicalLocation();
            if (physical != null && !physical.isEmpty() && Files.isRegularFile(Path.of(physical))) {
                return Files.readString(Path.of(physical), encoding);
            }
            for (Location location : configuration.getLocations()) {
                String root = location.getRootPath();
                if ("filesystem:".equals(location.getPrefix()) && Files.isRegularFile(Path.of(root, script))) {
                    return Files.readString(Path.of(root, script), encoding);
                }
                if ("classpath:".equals(location.getPrefix())) {
                    try (InputStream in = configuration.getClassLoader().getResourceAsStream(root + "/" + script)) {
                        if (in != null) {
                            return new String(in.readAllBytes(), encoding);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new FlywayException("zerolock: cannot read " + script + ": " + e.getMessage(), e);
        }
        return null;
    }
}

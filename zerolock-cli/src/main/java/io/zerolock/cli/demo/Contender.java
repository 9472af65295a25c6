package io.zerolock.cli.demo;

import io.zerolock.ConnectionTarget;
import io.zerolock.ProgressListener;
import io.zerolock.Zerolock;
import io.zerolock.execute.Impact;
import io.zerolock.execute.Monitor;
import io.zerolock.execute.Watchdog;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import io.zerolock.reindex.ReindexRequest;
import io.zerolock.reindex.Strategy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One way to rebuild the index, run under the load: a plain SQL statement (measured by the same impact
 * monitor zerolock uses on itself), or zerolock with a strategy.
 *
 * @param name the label in the table and the chart
 * @param command what a user would type to do the same
 */
public record Contender(String name, String command, Action action) {

    /** A run that failed, with what others waited for it until then. */
    public static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Impact impact;

        public Failed(Impact impact, Exception cause) {
            super(cause.getMessage(), cause);
            this.impact = impact;
        }

        public Impact impact() {
            return impact;
        }
    }

    /** Rebuilds {@code index} on {@code target}, marking the steps it goes through. */
    @FunctionalInterface
    public interface Action {
        Impact run(ConnectionTarget target, String indexSql, String indexName, Timeline timeline) throws Exception;
    }

    /** {@code REINDEX INDEX [CONCURRENTLY]}: what most people run, for comparison. */
    public static Contender sql(String name, String statementPrefix) {
        return new Contender(name, statementPrefix + " <index>", (target, indexSql, indexName, timeline) -> {
            ConnectionTarget plain = target.withApplicationName("zerolock-demo-" + name.replace(' ', '-'));
            try (Connection work = connect(plain); Statement statement = work.createStatement();
                    Monitor monitor = new Monitor(connect(plain), Monitor.backendPid(work),
                            new int[] {Monitor.backendPid(work)}, Watchdog.defaults(), indexSql, progress -> { })) {
                String step = statementPrefix.toLowerCase(java.util.Locale.ROOT);
                monitor.stepStarted(step, false);
                timeline.mark(step);
                statement.execute(statementPrefix + " " + indexSql);
                return monitor.impact();
            }
        });
    }

    /** {@code zerolock reindex <index> --strategy <strategy>}. */
    public static Contender zerolock(Strategy strategy) {
        return new Contender("zerolock " + strategy.id(), "zerolock reindex <index> --strategy " + strategy.id(),
                (target, indexSql, indexName, timeline) -> {
                    try (Zerolock zerolock = Zerolock.connect(target.withApplicationName("zerolock"))) {
                        List<ReindexOutcome> outcomes = zerolock.reindex(ReindexRequest.indexes(indexName),
                                ReindexOptions.defaults().withStrategy(strategy), false, marking(timeline));
                        return outcomes.get(0).impact();
                    }
                });
    }

    /**
     * A migration run as a migration framework runs it: the file as written, in one transaction, so every
     * lock it takes is held until COMMIT.
     */
    public static Contender migrationAsWritten(String name, String migration) {
        return new Contender(name, "psql --single-transaction -f V2__feature.sql", (target, indexSql, indexName,
                timeline) -> {
            ConnectionTarget plain = target.withApplicationName("zerolock-demo-migration");
            try (Connection work = connect(plain); Statement statement = work.createStatement();
                    Monitor monitor = new Monitor(connect(plain), Monitor.backendPid(work),
                            new int[] {Monitor.backendPid(work)}, Watchdog.defaults(), "migration", progress -> { })) {
                monitor.stepStarted("migration", false);
                timeline.mark("migration");
                try {
                    statement.execute("BEGIN");
                    statement.execute(migration);
                    statement.execute("COMMIT");
                } catch (SQLException e) {
                    throw new Failed(monitor.impact(), e);
                }
                return monitor.impact();
            }
        });
    }

    /** {@code zerolock apply V2__feature.sql}, its journal and history in {@code stateSchema}. */
    public static Contender zerolockApply(String migration, String stateSchema) {
        return new Contender("zerolock apply", "zerolock apply V2__feature.sql", (target, indexSql, indexName,
                timeline) -> {
            try (Zerolock zerolock = Zerolock.connect(target.withApplicationName("zerolock"))) {
                List<io.zerolock.apply.ApplyOutcome> outcomes = zerolock.apply(List.of(new io.zerolock.apply
                        .MigrationFile("V2__feature.sql", new io.zerolock.check.Checker.Source("V2__feature.sql",
                                migration))), io.zerolock.apply.ApplyOptions.defaults().withStateSchema(stateSchema),
                        false, marking(timeline));
                return outcomes.get(0).impact();
            }
        });
    }

    /** Marks each step on the timeline as it starts: the chart shows steps, not build phases. */
    private static ProgressListener marking(Timeline timeline) {
        return new ProgressListener() {
            @Override
            public void progress(Progress progress) {
                // build phases are not charted
            }

            @Override
            public void stepStarted(String index, String step) {
                timeline.mark(step);
            }
        };
    }

    private static Connection connect(ConnectionTarget target) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
    }
}

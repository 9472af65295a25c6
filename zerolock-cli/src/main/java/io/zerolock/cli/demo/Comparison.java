package io.zerolock.cli.demo;

import io.zerolock.ConnectionTarget;
import io.zerolock.cli.load.LoadGenerator;
import io.zerolock.cli.load.Sample;
import io.zerolock.cli.load.WindowStats;
import io.zerolock.cli.load.Workload;
import io.zerolock.execute.Impact;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs each contender, one after the other, on identical freshly prepared data under the same steady
 * open-loop load, and measures what the application saw: the core of {@code zerolock demo} and of the
 * reindex benchmark.
 */
public final class Comparison {

    /** Prepares identical data for one run and says where it is. */
    @FunctionalInterface
    public interface Stage {
        ConnectionTarget prepare(Contender contender) throws SQLException;
    }

    /**
     * @param rate transactions per second, scheduled open-loop
     * @param connections the load's connection pool
     * @param writeFraction the share of write transactions
     * @param settle load before and after each operation, so the chart shows the normal latency too
     */
    public record Load(int rate, int connections, double writeFraction, Duration settle) {}

    private Comparison() {}

    public static List<RunResult> run(List<Contender> contenders, Stage stage, Workload workload, Load load,
            String indexSql, String indexName, Consumer<String> say) throws SQLException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (Contender contender : contenders) {
            ConnectionTarget target = stage.prepare(contender);
            long sizeBefore = size(target, indexSql);
            say.accept(String.format("%-26s %s, under %d tx/s...", contender.name(), contender.command()
                    .replace("<index>", indexName), load.rate()));
            Timeline timeline = new Timeline();
            Impact impact = Impact.none();
            String error = null;
            long start;
            long end;
            List<Sample> samples;
            try (LoadGenerator generator = new LoadGenerator(target, workload, load.rate(), load.connections(),
                    load.writeFraction())) {
                Thread.sleep(load.settle().toMillis());
                start = System.nanoTime();
                try {
                    impact = contender.action().run(target, indexSql, indexName, timeline);
                } catch (Contender.Failed e) {
                    impact = e.impact();
                    error = oneLine(e);
                } catch (Exception e) {
                    error = oneLine(e);
                }
                end = System.nanoTime();
                Thread.sleep(load.settle().toMillis());
                samples = generator.samples();
            }
            WindowStats stats = WindowStats.of(samples, start, end);
            results.add(new RunResult(contender, stats, samples, timeline.marks(), sizeBefore, size(target, indexSql),
                    impact, error));
        }
        return results;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static long size(ConnectionTarget target, String indexSql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                PreparedStatement statement = connection.prepareStatement("SELECT pg_relation_size(to_regclass(?))")) {
            statement.setString(1, indexSql);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }
}

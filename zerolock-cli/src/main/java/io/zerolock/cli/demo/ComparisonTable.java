package io.zerolock.cli.demo;

import io.zerolock.Sizes;
import io.zerolock.cli.TextTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The runs side by side: one column per contender (text), or one row per contender (Markdown). */
public final class ComparisonTable {

    private record Metric(String name, Function<RunResult, String> value) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("duration", r -> String.format("%.2f s", r.stats().seconds())),
            new Metric("longest stall (no transaction done)", r -> millis(r.stats().longestGapNanos())),
            new Metric("max latency", r -> millis(r.stats().maxLatencyNanos())),
            new Metric("p99 latency", r -> millis(r.stats().p99LatencyNanos())),
            new Metric("throughput during", r -> String.format("%.0f tx/s", r.stats().throughput())),
            new Metric("failed transactions", r -> String.valueOf(r.stats().failed())),
            new Metric("index size before → after", r -> Sizes.pretty(r.sizeBefore()) + " → "
                    + Sizes.pretty(r.sizeAfter())),
            new Metric("sessions blocked by its locks", r -> String.valueOf(r.impact().blockedSessions())),
            new Metric("longest wait for its locks", r -> r.impact().blockedSessions() == 0 ? "0 ms"
                    : r.impact().maxWaitMillis() + " ms (" + r.impact().step() + ")"));

    private ComparisonTable() {}

    public static String text(List<RunResult> runs) {
        List<String> headers = new ArrayList<>(List.of(""));
        runs.forEach(run -> headers.add(run.contender().name()));
        List<List<String>> rows = new ArrayList<>();
        for (Metric metric : METRICS) {
            List<String> row = new ArrayList<>(List.of(metric.name()));
            runs.forEach(run -> row.add(metric.value().apply(run)));
            rows.add(row);
        }
        if (runs.stream().anyMatch(run -> run.error() != null)) {
            List<String> row = new ArrayList<>(List.of("error"));
            runs.forEach(run -> row.add(run.error() == null ? "-" : run.error()));
            rows.add(row);
        }
        return TextTable.render(headers, rows);
    }

    public static String markdown(List<RunResult> runs) {
        StringBuilder text = new StringBuilder("| command |");
        METRICS.forEach(metric -> text.append(' ').append(metric.name()).append(" |"));
        text.append("\n|---|");
        METRICS.forEach(metric -> text.append("---:|"));
        text.append('\n');
        for (RunResult run : runs) {
            text.append("| ").append(run.contender().name()).append(" |");
            METRICS.forEach(metric -> text.append(' ').append(metric.value().apply(run)).append(" |"));
            text.append('\n');
        }
        return text.toString();
    }

    /** The named metrics, in table order, for the HTML report. */
    static List<String[]> figures(RunResult run) {
        return METRICS.stream().map(metric -> new String[] {metric.name(), metric.value().apply(run)}).toList();
    }

    static String millis(long nanos) {
        return nanos / 1_000_000 + " ms";
    }
}

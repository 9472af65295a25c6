package io.zerolock.cli;

import io.zerolock.apply.ApplyOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders what apply planned or did, per file and statement, as text or JSON. */
final class ApplyReport {

    private ApplyReport() {}

    static String render(List<ApplyOutcome> outcomes, ReindexReport.Format format, boolean dryRun) {
        if (format == ReindexReport.Format.json) {
            return json(outcomes);
        }
        if (outcomes.isEmpty()) {
            return "No migrations given.\n";
        }
        StringBuilder text = new StringBuilder();
        for (ApplyOutcome outcome : outcomes) {
            text.append(outcome.file()).append(": ").append(headline(outcome)).append('\n');
            if (outcome.status() == ApplyOutcome.Status.ALREADY_APPLIED) {
                continue;
            }
            if (dryRun) {
                plan(outcome, text);
            } else {
                table(outcome, text);
            }
            text.append('\n');
        }
        if (dryRun) {
            text.append("Dry run: nothing was changed.\n");
        }
        return text.toString();
    }

    private static String headline(ApplyOutcome outcome) {
        return switch (outcome.status()) {
            case ALREADY_APPLIED -> "applied already, skipped";
            case PLANNED -> outcome.statements().size() + " statements";
            case APPLIED -> String.format(Locale.ROOT, "applied in %.1f s; others waited: %s",
                    outcome.duration().toMillis() / 1000.0, ReindexReport.waited(outcome.impact()));
            case FAILED -> "FAILED: " + outcome.error();
            case NOT_RUN -> "not run (an earlier file failed or the run was stopped)";
        };
    }

    private static void plan(ApplyOutcome outcome, StringBuilder text) {
        for (ApplyOutcome.StatementOutcome statement : outcome.statements()) {
            text.append("  line ").append(statement.line()).append(": ").append(abbreviated(statement.text(), 100))
                    .append('\n').append("    ").append(statement.how()).append('\n');
            for (ApplyOutcome.StepOutcome step : statement.steps()) {
                text.append("    ").append(step.name()).append(": ").append(step.lock()).append("; ")
                        .append(step.policy()).append(step.outcome().startsWith("already there")
                                ? " (" + step.outcome() + ")" : "").append('\n');
                for (String sql : step.sql()) {
                    text.append("      ").append(sql).append(";\n");
                }
            }
        }
    }

    private static void table(ApplyOutcome outcome, StringBuilder text) {
        List<List<String>> rows = new ArrayList<>();
        for (ApplyOutcome.StatementOutcome statement : outcome.statements()) {
            long millis = statement.steps().stream().mapToLong(s -> s.duration().toMillis()).sum();
            int retries = statement.steps().stream().mapToInt(s -> Math.max(0, s.attempts() - 1)).sum();
            String status = statement.steps().isEmpty() ? "-" : statement.steps().stream()
                    .map(ApplyOutcome.StepOutcome::outcome).filter(o -> !o.equals("done")).findFirst().orElse("done");
            rows.add(List.of(String.valueOf(statement.line()), abbreviated(statement.text(), 60), statement.how(),
                    String.valueOf(statement.steps().size()), String.format(Locale.ROOT, "%.2f s", millis / 1000.0),
                    String.valueOf(retries), status));
        }
        String table = TextTable.render(List.of("LINE", "STATEMENT", "RAN AS", "STEPS", "DURATION", "RETRIES",
                "STATUS"), rows);
        table.lines().forEach(line -> text.append("  ").append(line).append('\n'));
    }

    private static String abbreviated(String sql, int width) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= width ? line : line.substring(0, width - 3) + "...";
    }

    private static String json(List<ApplyOutcome> outcomes) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (ApplyOutcome outcome : outcomes) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("file", outcome.file());
            file.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
            file.put("duration_ms", outcome.duration().toMillis());
            file.put("error", outcome.error());
            file.put("impact", ReindexReport.impact(outcome.impact()));
            List<Map<String, Object>> statements = new ArrayList<>();
            for (ApplyOutcome.StatementOutcome statement : outcome.statements()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("line", statement.line());
                s.put("statement", statement.text());
                s.put("ran_as", statement.how());
                List<Map<String, Object>> steps = new ArrayList<>();
                for (ApplyOutcome.StepOutcome step : statement.steps()) {
                    Map<String, Object> st = new LinkedHashMap<>();
                    st.put("name", step.name());
                    st.put("sql", step.sql());
                    st.put("lock", step.lock());
                    st.put("policy", step.policy());
                    st.put("outcome", step.outcome());
                    st.put("attempts", step.attempts());
                    st.put("duration_ms", step.duration().toMillis());
                    steps.add(st);
                }
                s.put("steps", steps);
                statements.add(s);
            }
            file.put("statements", statements);
            files.add(file);
        }
        return TextTable.json(files);
    }
}

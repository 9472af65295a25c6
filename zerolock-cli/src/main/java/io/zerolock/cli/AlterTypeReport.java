package io.zerolock.cli;

import io.zerolock.altertype.AlterTypeOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders what alter-type planned or did, step by step, as text or JSON. */
final class AlterTypeReport {

    private AlterTypeReport() {}

    static String render(AlterTypeOutcome outcome, ReindexReport.Format format) {
        if (format == ReindexReport.Format.json) {
            return json(outcome);
        }
        StringBuilder text = new StringBuilder();
        text.append(outcome.target()).append(": ").append(switch (outcome.status()) {
            case PLANNED -> "plan (" + outcome.strategy() + "), " + outcome.steps().size() + " steps";
            case DONE -> String.format(Locale.ROOT, "%s done in %.1f s; others waited: %s", outcome.strategy(),
                    outcome.took().toMillis() / 1000.0, ReindexReport.waited(outcome.impact()));
            case NOTHING_TO_DO -> "nothing to do";
        }).append('\n');
        if (outcome.status() == AlterTypeOutcome.Status.PLANNED) {
            for (AlterTypeOutcome.StepOutcome step : outcome.steps()) {
                text.append("  ").append(step.name()).append(" (").append(step.lock()).append("): ")
                        .append(step.description()).append('\n');
                step.sql().forEach(sql -> text.append("    ").append(sql).append(";\n"));
            }
        } else if (!outcome.steps().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (AlterTypeOutcome.StepOutcome step : outcome.steps()) {
                rows.add(List.of(step.name(), step.lock(), String.format(Locale.ROOT, "%.2f s",
                        step.duration().toMillis() / 1000.0), String.valueOf(Math.max(0, step.attempts() - 1)),
                        step.outcome()));
            }
            TextTable.render(List.of("STEP", "LOCK", "DURATION", "RETRIES", "STATUS"), rows).lines()
                    .forEach(line -> text.append("  ").append(line).append('\n'));
        }
        outcome.notes().forEach(note -> text.append("Note: ").append(note).append('\n'));
        if (outcome.status() == AlterTypeOutcome.Status.PLANNED) {
            text.append("Dry run: nothing was changed.\n");
        }
        return text.toString();
    }

    private static String json(AlterTypeOutcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("column", outcome.target());
        json.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
        json.put("strategy", outcome.strategy());
        json.put("duration_ms", outcome.took().toMillis());
        json.put("impact", ReindexReport.impact(outcome.impact()));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (AlterTypeOutcome.StepOutcome step : outcome.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", step.name());
            s.put("description", step.description());
            s.put("sql", step.sql());
            s.put("lock", step.lock());
            s.put("outcome", step.outcome());
            s.put("attempts", step.attempts());
            s.put("duration_ms", step.duration().toMillis());
            steps.add(s);
        }
        json.put("steps", steps);
        json.put("notes", outcome.notes());
        return TextTable.json(json);
    }
}

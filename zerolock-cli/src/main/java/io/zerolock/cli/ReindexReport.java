package io.zerolock.cli;

import io.zerolock.Sizes;
import io.zerolock.execute.Impact;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.reindex.ReindexOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders reindex plans and outcomes as text or JSON. */
final class ReindexReport {

    enum Format { text, json }

    private ReindexReport() {}

    static String render(List<ReindexOutcome> outcomes, Format format, boolean dryRun) {
        if (format == Format.json) {
            return json(outcomes);
        }
        return dryRun ? plans(outcomes) : summary(outcomes);
    }

    private static String plans(List<ReindexOutcome> outcomes) {
        StringBuilder text = new StringBuilder();
        for (ReindexOutcome outcome : outcomes) {
            if (outcome.plan() == null) {
                text.append("Skip ").append(outcome.index().display()).append(": ").append(outcome.message())
                        .append("\n\n");
                continue;
            }
            Plan plan = outcome.plan();
            text.append("Plan for ").append(plan.target()).append(" (strategy ").append(plan.strategy())
                    .append(", ").append(Sizes.pretty(outcome.oldSizeBytes())).append(")\n");
            text.append("  session settings: ");
            text.append(String.join(", ", plan.settings().stream().map(s -> s.name() + " = " + s.value()).toList()));
            text.append("\n");
            int number = 1;
            for (Step step : plan.steps()) {
                text.append("  ").append(number++).append(". ").append(step.name()).append(": ")
                        .append(step.description()).append('\n');
                text.append("     lock: ").append(step.lock().sql()).append(" on ")
                        .append(String.join(", ", step.relations().stream().map(Object::toString).toList()))
                        .append("; ").append(step.transactional() ? "in one transaction" : "outside a transaction")
                        .append("; ").append(step.policy().describe()).append('\n');
                for (String sql : step.statements()) {
                    text.append("     ").append(sql).append(";\n");
                }
                if (!step.undo().isEmpty()) {
                    text.append("     undo if a later step fails: ").append(String.join("; ", step.undo()))
                            .append('\n');
                }
            }
            text.append('\n');
        }
        text.append("Dry run: nothing was changed.\n");
        return text.toString();
    }

    private static String summary(List<ReindexOutcome> outcomes) {
        List<String> headers = List.of("INDEX", "STRATEGY", "DURATION", "RETRIES", "OLD SIZE", "NEW SIZE",
                "OTHERS WAITED", "STATUS");
        List<List<String>> rows = new ArrayList<>();
        for (ReindexOutcome outcome : outcomes) {
            boolean done = outcome.status() == ReindexOutcome.Status.DONE;
            rows.add(List.of(outcome.index().display(), outcome.strategy() == null ? "-" : outcome.strategy(),
                    done ? String.format("%.1f s", outcome.duration().toMillis() / 1000.0) : "-",
                    done ? String.valueOf(outcome.retries()) : "-", Sizes.pretty(outcome.oldSizeBytes()),
                    done ? Sizes.pretty(outcome.newSizeBytes()) : "-", done ? waited(outcome.impact()) : "-",
                    done ? "done" : outcome.status().name().toLowerCase(java.util.Locale.ROOT) + ": "
                            + outcome.message()));
        }
        return TextTable.render(headers, rows);
    }

    /** Who waited on zerolock's locks, for a report's cell. */
    static String waited(Impact impact) {
        if (impact.blockedSessions() == 0) {
            return "nobody";
        }
        return impact.blockedSessions() + (impact.blockedSessions() == 1 ? " session" : " sessions") + ", max "
                + impact.maxWaitMillis() + " ms (" + impact.step() + ")";
    }

    /** Who waited on zerolock's locks, for JSON. */
    static Map<String, Object> impact(Impact impact) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("blocked_sessions", impact.blockedSessions());
        json.put("max_wait_ms", impact.maxWaitMillis());
        json.put("total_wait_ms", impact.totalWaitMillis());
        json.put("step", impact.step());
        return json;
    }

    private static String json(List<ReindexOutcome> outcomes) {
        return TextTable.json(items(outcomes));
    }

    /** Each outcome as the JSON report shows it. */
    static List<Map<String, Object>> items(List<ReindexOutcome> outcomes) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ReindexOutcome outcome : outcomes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", outcome.index().display());
            item.put("schema", outcome.index().schema());
            item.put("name", outcome.index().name());
            item.put("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
            item.put("strategy", outcome.strategy());
            item.put("duration_ms", outcome.duration().toMillis());
            item.put("retries", outcome.retries());
            item.put("old_size_bytes", outcome.oldSizeBytes());
            item.put("new_size_bytes", outcome.status() == ReindexOutcome.Status.DONE ? outcome.newSizeBytes() : null);
            item.put("message", outcome.message());
            item.put("impact", impact(outcome.impact()));
            if (outcome.plan() != null) {
                List<Map<String, Object>> steps = new ArrayList<>();
                for (Step step : outcome.plan().steps()) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("name", step.name());
                    s.put("description", step.description());
                    s.put("sql", step.statements());
                    s.put("lock", step.lock().sql());
                    s.put("relations", step.relations().stream().map(Object::toString).toList());
                    s.put("transactional", step.transactional());
                    s.put("lock_timeout_ms", step.policy().lockTimeout().toMillis());
                    s.put("attempts", step.policy().attempts());
                    s.put("undo", step.undo());
                    steps.add(s);
                }
                Map<String, Object> plan = new LinkedHashMap<>();
                plan.put("settings", outcome.plan().settings().stream()
                        .map(s -> Map.of("name", s.name(), "value", s.value())).toList());
                plan.put("steps", steps);
                item.put("plan", plan);
            }
            list.add(item);
        }
        return list;
    }
}

package io.zerolock.cli;

import io.zerolock.Sizes;
import io.zerolock.Zerolock;
import io.zerolock.journal.History;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "history", usageHelpAutoWidth = true,
        description = {"What zerolock did to the database, from its journal: every rebuild, clean-up, applied file "
                + "and type change (when, what, the size before and after and the estimate before, each phase's "
                + "duration, whom it blocked and who blocked it, outcome and error), and every decision of the gate.",
                "Read-only. For dashboards, the same facts are in the view <state schema>.history and the table "
                        + "<state schema>.gate_decision (see the README for Grafana queries)."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock history -d app", "  zerolock history -d app --since 30d --format json"})
final class HistoryCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "30d", converter = Durations.class,
            description = "How far back (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    StateSchemaOption stateSchema;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            History.Entries entries = zerolock.history(stateSchema.name(spec.commandLine()),
                    Instant.now().minus(since));
            spec.commandLine().getOut().print(format == Format.json ? json(entries) : text(entries));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private static String text(History.Entries entries) {
        StringBuilder text = new StringBuilder();
        if (entries.operations().isEmpty()) {
            text.append("(no operations)\n");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (History.Operation operation : entries.operations()) {
                // a queue action's kind of action (add, approve, queue build...) is its strategy column
                String command = operation.command().equals("queue") && operation.strategy() != null
                        ? "queue " + operation.strategy() : operation.command();
                rows.add(List.of(String.valueOf(operation.startedAt()), command, operation.target(),
                        operation.outcome(), duration(operation), sizes(operation),
                        operation.estimatedSizeAfter() == null ? "-" : Sizes.pretty(operation.estimatedSizeAfter())
                                + " (" + operation.estimateMethod() + ")",
                        operation.blockedSessions() == null ? "-" : operation.blockedSessions() + " waited, up to "
                                + operation.maxWaitMillis() + " ms",
                        operation.error() == null ? "" : operation.error()));
            }
            text.append(TextTable.render(List.of("STARTED", "COMMAND", "TARGET", "OUTCOME", "TOOK", "SIZE",
                    "ESTIMATED AFTER", "BLOCKED OTHERS", "ERROR OR NOTE"), rows));
        }
        if (!entries.gateDecisions().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (History.GateDecision decision : entries.gateDecisions()) {
                rows.add(List.of(String.valueOf(decision.at()), decision.command(),
                        decision.target() == null ? "-" : decision.target(), decision.verdict(), decision.reasons()));
            }
            text.append("\nGate decisions\n").append(TextTable.render(List.of("AT", "COMMAND", "TARGET", "VERDICT",
                    "REASONS"), rows));
        }
        return text.toString();
    }

    private static String duration(History.Operation operation) {
        if (operation.startedAt() == null || operation.endedAt() == null) {
            return "-";
        }
        return Duration.between(operation.startedAt(), operation.endedAt()).toMillis() + " ms";
    }

    private static String sizes(History.Operation operation) {
        if (operation.sizeBefore() == null) {
            return operation.sizeAfter() == null ? "-" : "new: " + Sizes.pretty(operation.sizeAfter());
        }
        return Sizes.pretty(operation.sizeBefore()) + (operation.sizeAfter() == null ? ""
                : " -> " + Sizes.pretty(operation.sizeAfter()));
    }

    private static String json(History.Entries entries) {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Map<String, Object>> operations = new ArrayList<>();
        for (History.Operation operation : entries.operations()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", operation.id());
            item.put("command", operation.command());
            item.put("target", operation.target());
            item.put("strategy", operation.strategy());
            item.put("started_at", String.valueOf(operation.startedAt()));
            item.put("ended_at", operation.endedAt() == null ? null : operation.endedAt().toString());
            item.put("outcome", operation.outcome());
            item.put("error", operation.error());
            item.put("size_before_bytes", operation.sizeBefore());
            item.put("size_after_bytes", operation.sizeAfter());
            item.put("estimated_size_after_bytes", operation.estimatedSizeAfter());
            item.put("estimate_method", operation.estimateMethod());
            item.put("blocked_sessions", operation.blockedSessions());
            item.put("max_wait_ms", operation.maxWaitMillis());
            item.put("total_wait_ms", operation.totalWaitMillis());
            item.put("blocked_at_step", operation.blockedAtStep());
            List<Map<String, Object>> phases = new ArrayList<>();
            for (History.Phase phase : operation.phases()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("position", phase.position());
                p.put("kind", phase.kind());
                p.put("name", phase.name());
                p.put("duration_ms", phase.durationMillis());
                p.put("attempts", phase.attempts());
                p.put("outcome", phase.outcome());
                p.put("note", phase.note());
                p.put("error", phase.error());
                phases.add(p);
            }
            item.put("phases", phases);
            operations.add(item);
        }
        root.put("operations", operations);
        List<Map<String, Object>> decisions = new ArrayList<>();
        for (History.GateDecision decision : entries.gateDecisions()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("at", decision.at().toString());
            item.put("command", decision.command());
            item.put("target", decision.target());
            item.put("verdict", decision.verdict());
            item.put("signals", decision.signals());
            item.put("reasons", decision.reasons());
            decisions.add(item);
        }
        root.put("gate_decisions", decisions);
        return TextTable.json(root);
    }
}

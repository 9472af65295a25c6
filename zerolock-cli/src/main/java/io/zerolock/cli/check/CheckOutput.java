package io.zerolock.cli.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zerolock.Version;
import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.check.Severity;
import io.zerolock.check.rules.Rule;
import io.zerolock.check.rules.Rules;
import io.zerolock.check.trace.TraceRules;
import io.zerolock.check.trace.TraceVerdict;
import io.zerolock.check.trace.Tracer;
import java.util.List;

/** The check report as text for people, JSON, SARIF 2.1.0 for code-scanning UIs, or GitHub annotations. */
public final class CheckOutput {

    public enum Format { text, json, sarif, github }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Each rule's documentation: its row in the README's rule table, which is generated from the rule. */
    static final String HELP = "https://github.com/zerolock/zerolock/blob/main/README.md";

    private CheckOutput() {}

    /** @param trace the trace's verdict, or null without {@code --trace} */
    public static String render(Checker.Report report, int files, Format format, boolean verbose,
            TraceVerdict.Result trace) {
        return switch (format) {
            case text -> text(report, files, verbose, trace);
            case json -> json(report, files, trace);
            case sarif -> sarif(report);
            case github -> github(report);
        };
    }

    /** The rule whose findings are folded per file: the same warning and the same remedy, statement after statement. */
    private static final String FOLDED = "ZL022";

    /**
     * For people: each finding with where, the statement, what it does and the safe SQL instead; each
     * rule's explanation once, after the findings; the no-lock-timeout warning folded per file; a summary
     * per rule and per file at the end.
     */
    static String text(Checker.Report report, int files, boolean verbose, TraceVerdict.Result trace) {
        StringBuilder out = new StringBuilder();
        out.append("zerolock check: ").append(files).append(files == 1 ? " file, " : " files, ")
                .append(report.statements()).append(" statements, rules for PostgreSQL ").append(report.pgVersion())
                .append(trace == null ? "" : ", traced on " + trace.server()).append("\n");
        java.util.Set<String> foldedFiles = new java.util.HashSet<>();
        for (Finding f : report.findings()) {
            if (f.ruleId().equals(FOLDED)) {
                if (foldedFiles.add(f.file())) {
                    folded(out, report.findings().stream()
                            .filter(g -> g.ruleId().equals(FOLDED) && g.file().equals(f.file())).toList());
                }
                continue;
            }
            out.append('\n').append(f.file()).append(':').append(f.line()).append(':').append(f.column()).append("  ")
                    .append(f.severity().id()).append("  ").append(f.ruleId()).append(' ').append(f.ruleName())
                    .append('\n');
            out.append("  ").append(firstLine(f.statement())).append('\n');
            out.append("  ").append(f.message()).append('\n');
            if (f.trace() != null) {
                out.append("  traced: ").append(f.trace()).append('\n');
            }
            out.append("  instead:\n");
            f.safe().lines().forEach(line -> out.append("    ").append(line).append('\n'));
        }
        for (var warning : report.warnings()) {
            out.append('\n').append(warning.file()).append(':').append(warning.line()).append(':')
                    .append(warning.column()).append("  warning  ").append(warning.message()).append('\n');
        }
        if (trace != null) {
            for (Finding f : trace.refuted()) {
                out.append('\n').append(f.file()).append(':').append(f.line()).append(':').append(f.column())
                        .append("  refuted by the trace  ").append(f.ruleId()).append(' ').append(f.ruleName())
                        .append(": ").append(f.trace()).append('\n');
            }
        }
        if (verbose) {
            for (Checker.Unrecognized unknown : report.unrecognized()) {
                out.append('\n').append(unknown.file()).append(':').append(unknown.line())
                        .append("  unknown statement, no rule applied: ").append(unknown.firstWords()).append(" ...\n");
            }
        }
        explanations(out, report);
        totals(out, report);
        out.append('\n').append(summary(report)).append('\n');
        return out.toString();
    }

    /** One block for every no-lock-timeout finding of a file: the lines, what each takes, the remedy once. */
    private static void folded(StringBuilder out, List<Finding> findings) {
        Finding first = findings.get(0);
        out.append('\n').append(first.file()).append(':').append(first.line()).append(':').append(first.column())
                .append("  ").append(first.severity().id()).append("  ").append(first.ruleId()).append(' ')
                .append(first.ruleName());
        if (findings.size() > 1) {
            out.append(", ").append(findings.size()).append(" statements of this file");
        }
        out.append('\n');
        for (Finding f : findings) {
            out.append("  line ").append(f.line()).append(": ").append(firstLine(f.statement())).append('\n')
                    .append("    ").append(f.message()).append('\n');
            if (f.trace() != null) {
                out.append("    traced: ").append(f.trace()).append('\n');
            }
        }
        out.append("  instead:\n");
        first.safe().lines().forEach(line -> out.append("    ").append(line).append('\n'));
    }

    /** Why each rule found matters, once, after the findings. */
    private static void explanations(StringBuilder out, Checker.Report report) {
        java.util.Map<String, Finding> firstOfEachRule = new java.util.TreeMap<>();
        report.findings().forEach(f -> firstOfEachRule.putIfAbsent(f.ruleId(), f));
        if (firstOfEachRule.isEmpty()) {
            return;
        }
        out.append("\nWhy these rules matter:\n");
        for (Finding f : firstOfEachRule.values()) {
            Rule rule = rule(f.ruleId());
            out.append('\n').append(f.ruleId()).append(' ').append(f.ruleName()).append(" (")
                    .append(rule == null ? "locks" : rule.category().id()).append(")\n");
            out.append("  why: ").append(f.why()).append('\n');
        }
    }

    /** Counts by rule and by file. */
    private static void totals(StringBuilder out, Checker.Report report) {
        if (report.findings().size() < 2) {
            return;
        }
        java.util.Map<String, Long> byRule = new java.util.TreeMap<>();
        java.util.Map<String, long[]> byFile = new java.util.LinkedHashMap<>();
        for (Finding f : report.findings()) {
            byRule.merge(f.ruleId() + " " + f.ruleName(), 1L, Long::sum);
            byFile.computeIfAbsent(f.file(), k -> new long[Severity.values().length])[f.severity().ordinal()]++;
        }
        out.append("\nBy rule:\n");
        byRule.forEach((rule, count) -> out.append("  ").append(rule).append(": ").append(count).append('\n'));
        out.append("\nBy file:\n");
        byFile.forEach((file, counts) -> out.append("  ").append(file).append(": ").append(counts(counts))
                .append('\n'));
    }

    private static String counts(long[] bySeverity) {
        List<String> parts = new java.util.ArrayList<>();
        for (Severity severity : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO)) {
            long n = bySeverity[severity.ordinal()];
            if (n > 0) {
                parts.add(plural(n, severity == Severity.INFO ? "note" : severity.id()));
            }
        }
        return String.join(", ", parts);
    }

    /** The rule with this id, static or traced; null when unknown. */
    static Rule rule(String id) {
        for (Rule rule : Rules.all()) {
            if (rule.id().equals(id)) {
                return rule;
            }
        }
        for (Rule rule : TraceRules.all()) {
            if (rule.id().equals(id)) {
                return rule;
            }
        }
        return null;
    }

    static String summary(Checker.Report report) {
        long errors = count(report, Severity.ERROR);
        long warnings = count(report, Severity.WARNING);
        long infos = count(report, Severity.INFO);
        if (errors + warnings + infos == 0) {
            return "No findings.";
        }
        return plural(errors, "error") + ", " + plural(warnings, "warning") + ", " + plural(infos, "note")
                + (report.unrecognized().isEmpty() ? "" : "; " + plural(report.unrecognized().size(),
                        "statement") + " not recognised (-v lists them)");
    }

    static String json(Checker.Report report, int files, TraceVerdict.Result trace) {
        ObjectNode root = JSON.createObjectNode();
        root.put("pgVersion", report.pgVersion());
        root.put("files", files);
        root.put("statements", report.statements());
        ArrayNode findings = root.putArray("findings");
        for (Finding f : report.findings()) {
            ObjectNode node = findings.addObject();
            Rule rule = rule(f.ruleId());
            node.put("rule", f.ruleId()).put("name", f.ruleName()).put("severity", f.severity().id())
                    .put("category", rule == null ? "locks" : rule.category().id())
                    .put("file", f.file()).put("line", f.line()).put("column", f.column())
                    .put("statement", f.statement()).put("message", f.message()).put("why", f.why())
                    .put("safe", f.safe());
            if (f.trace() != null) {
                node.put("trace", f.trace());
            }
        }
        if (trace != null) {
            root.put("tracedOn", trace.server());
            ArrayNode refuted = root.putArray("refuted");
            trace.refuted().forEach(f -> refuted.addObject().put("rule", f.ruleId()).put("file", f.file())
                    .put("line", f.line()).put("trace", f.trace()));
            ArrayNode statements = root.putArray("traced");
            for (Tracer.Traced t : trace.traced()) {
                ObjectNode node = statements.addObject();
                node.put("file", t.file()).put("line", t.line()).put("outcome", t.outcome().name().toLowerCase(
                        java.util.Locale.ROOT)).put("outsideTransaction", t.outsideTransaction()).put("ms", t.millis());
                if (t.error() != null) {
                    node.put("error", t.error());
                }
                ArrayNode locks = node.putArray("locks");
                t.locks().forEach(lock -> locks.addObject().put("relation", lock.relation()).put("mode", lock.mode().sql()));
                ArrayNode held = node.putArray("heldFromEarlier");
                t.heldFromEarlier().forEach(lock -> held.addObject().put("relation", lock.relation())
                        .put("mode", lock.mode().sql()));
                ArrayNode rewritten = node.putArray("rewritten");
                t.rewritten().forEach(rewritten::add);
                ArrayNode scanned = node.putArray("scannedUnderLock");
                t.scanned().forEach(scanned::add);
            }
        }
        ArrayNode warnings = root.putArray("warnings");
        report.warnings().forEach(w -> warnings.addObject().put("file", w.file()).put("line", w.line())
                .put("column", w.column()).put("message", w.message()));
        ArrayNode unknown = root.putArray("unrecognized");
        report.unrecognized().forEach(u -> unknown.addObject().put("file", u.file()).put("line", u.line())
                .put("start", u.firstWords()));
        return write(root);
    }

    /** SARIF 2.1.0: one run, every rule described, one result per finding with its location. */
    static String sarif(Checker.Report report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "zerolock").put("version", Version.current())
                .put("informationUri", "https://github.com/zerolock/zerolock");
        ArrayNode rules = driver.putArray("rules");
        List<Rule> all = new java.util.ArrayList<>(Rules.all());
        all.addAll(TraceRules.all());
        for (Rule rule : all) {
            ObjectNode node = rules.addObject();
            node.put("id", rule.id()).put("name", rule.name());
            node.putObject("shortDescription").put("text", rule.name());
            node.putObject("fullDescription").put("text", rule.why());
            node.putObject("help").put("text", "Instead:\n" + rule.safe());
            node.putObject("defaultConfiguration").put("level", level(rule.severity()));
            node.put("helpUri", HELP + "#" + rule.id().toLowerCase(java.util.Locale.ROOT));
            node.putObject("properties").putArray("tags").add(rule.category().id());
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            ObjectNode result = results.addObject();
            result.put("ruleId", f.ruleId());
            int index = indexOf(all, f.ruleId());
            if (index >= 0) {
                result.put("ruleIndex", index);
            }
            result.put("level", level(f.severity()));
            result.putObject("message").put("text", f.message() + ". " + f.why()
                    + (f.trace() == null ? "" : " Traced " + f.trace() + "."));
            ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", f.file().replace('\\', '/'));
            physical.putObject("region").put("startLine", f.line()).put("startColumn", f.column());
        }
        return write(root);
    }

    /** GitHub Actions workflow commands: one annotation per finding. */
    static String github(Checker.Report report) {
        StringBuilder out = new StringBuilder();
        for (Finding f : report.findings()) {
            String command = switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "notice";
            };
            out.append("::").append(command).append(" file=").append(property(f.file())).append(",line=")
                    .append(f.line()).append(",col=").append(f.column()).append(",title=")
                    .append(property(f.ruleId() + " " + f.ruleName())).append("::")
                    .append(data(f.message() + ". " + f.why() + (f.trace() == null ? "" : "\nTraced " + f.trace())
                            + "\nInstead:\n" + f.safe())).append('\n');
        }
        return out.toString();
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static int indexOf(List<Rule> rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String data(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String property(String text) {
        return data(text).replace(":", "%3A").replace(",", "%2C");
    }

    private static long count(Checker.Report report, Severity severity) {
        return report.findings().stream().filter(f -> f.severity() == severity).count();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline) + " ...";
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

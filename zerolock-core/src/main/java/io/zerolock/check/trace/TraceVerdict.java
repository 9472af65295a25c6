package io.zerolock.check.trace;

import io.zerolock.check.Checker;
import io.zerolock.check.Finding;
import io.zerolock.check.rules.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Confirms or refutes the static findings with what the server really did, and adds what the rules
 * missed: a rewrite or a full scan under a strong lock no rule predicted.
 */
public final class TraceVerdict {

    /** Rules that predict a rewrite: without one on the server, the finding is refuted. */
    private static final Set<String> REWRITES = Set.of("ZL006", "ZL014", "ZL019", "ZL026");
    /** Rules that predict a full scan under a strong lock: without one, refuted. */
    private static final Set<String> SCANS = Set.of("ZL007", "ZL008", "ZL009", "ZL012", "ZL018");

    /** The outcome: findings to report, and those the trace refuted (with why). */
    public record Result(Checker.Report report, List<Finding> refuted, List<Tracer.Traced> traced, String server) {}

    private TraceVerdict() {}

    public static Result apply(Checker.Report report, List<Tracer.Traced> traced, String server) {
        Map<String, Tracer.Traced> byPlace = new HashMap<>();
        traced.forEach(t -> byPlace.put(t.file() + ":" + t.line(), t));
        List<Finding> kept = new ArrayList<>();
        List<Finding> refuted = new ArrayList<>();
        Set<String> placesWithFindings = new java.util.HashSet<>();
        for (Finding finding : report.findings()) {
            Tracer.Traced t = byPlace.get(finding.file() + ":" + finding.line());
            placesWithFindings.add(finding.file() + ":" + finding.line());
            if (t != null && t.outcome() == Tracer.Outcome.SKIPPED && t.error() != null
                    && t.error().startsWith(Tracer.ALREADY_THERE)) {
                refuted.add(finding.withTrace(t.error() + " (on " + server + ")"));
                continue;
            }
            if (t == null || t.outcome() != Tracer.Outcome.RAN) {
                kept.add(finding.withTrace(t == null ? "not traced" : (t.outcome() == Tracer.Outcome.FAILED
                        ? "failed on " + server + ": " : "not traced: ") + firstLine(t.error())));
                continue;
            }
            String evidence = evidence(t, server);
            if (REWRITES.contains(finding.ruleId()) && t.rewritten().isEmpty()) {
                refuted.add(finding.withTrace("no rewrite on " + server + evidenceSuffix(t)));
            } else if (SCANS.contains(finding.ruleId()) && t.scanned().isEmpty()) {
                refuted.add(finding.withTrace("no full scan on " + server + evidenceSuffix(t)));
            } else {
                kept.add(finding.withTrace(evidence));
            }
        }
        for (Tracer.Traced t : traced) {
            if (t.outcome() == Tracer.Outcome.FAILED) {
                // a statement that fails on the production version is a finding: the deploy breaks there
                kept.add(traceFinding(TraceRules.FAILED, t, "failed on " + server + ": " + firstLine(t.error()),
                        "on " + server + ": " + firstLine(t.error())));
                continue;
            }
            if (t.outcome() != Tracer.Outcome.RAN || placesWithFindings.contains(t.file() + ":" + t.line())) {
                continue;
            }
            Tracer.Lock strongest = t.strongest();
            String lock = strongest == null ? "no lock seen" : strongest.toString();
            if (!t.rewritten().isEmpty()) {
                kept.add(traceFinding(TraceRules.REWRITE, t, "rewrote " + String.join(", ", t.rewritten())
                        + " (" + lock + "), which no rule predicted", evidence(t, server)));
            } else if (!t.scanned().isEmpty()) {
                kept.add(traceFinding(TraceRules.SCAN, t, "scanned " + String.join(", ", t.scanned())
                        + " in full under " + lock + ", which no rule predicted", evidence(t, server)));
            }
        }
        kept.sort(Comparator.comparing(Finding::file, Comparator.comparingInt(report.files()::indexOf))
                .thenComparingInt(Finding::line).thenComparing(Finding::ruleId));
        return new Result(new Checker.Report(report.pgVersion(), report.statements(), kept, report.warnings(),
                report.unrecognized(), report.files()), refuted, traced, server);
    }

    private static Finding traceFinding(Rule rule, Tracer.Traced t, String message, String evidence) {
        return new Finding(rule.id(), rule.name(), rule.severity(), t.file(), t.line(), 1, t.statementText(), message,
                rule.why(), rule.safe(), evidence, null);
    }

    /** e.g. "on PostgreSQL 18.6: ACCESS EXCLUSIVE on public.orders; rewrote public.orders; 3 ms". */
    static String evidence(Tracer.Traced t, String server) {
        List<String> parts = new ArrayList<>();
        if (!t.locks().isEmpty()) {
            parts.add(String.join(", ", t.locks().stream().filter(Tracer.Lock::blocksWrites).map(Object::toString)
                    .toList()));
        }
        if (!t.heldFromEarlier().isEmpty()) {
            parts.add("still holding " + String.join(", ", t.heldFromEarlier().stream().map(Object::toString)
                    .toList()) + " from earlier in the transaction");
        }
        if (!t.rewritten().isEmpty()) {
            parts.add("rewrote " + String.join(", ", t.rewritten()));
        }
        if (!t.scanned().isEmpty()) {
            parts.add("scanned " + String.join(", ", t.scanned()) + " in full");
        }
        parts.removeIf(String::isEmpty);
        return "on " + server + (t.outsideTransaction() ? " (outside a transaction, locks sampled)" : "") + ": "
                + (parts.isEmpty() ? "no blocking lock seen" : String.join("; ", parts));
    }

    private static String evidenceSuffix(Tracer.Traced t) {
        Tracer.Lock strongest = t.strongest();
        return strongest == null ? "" : " (" + strongest + ")";
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

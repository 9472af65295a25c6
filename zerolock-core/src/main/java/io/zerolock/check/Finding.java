package io.zerolock.check;

/**
 * One problem in one statement.
 *
 * @param message what this statement does, specifically
 * @param why the lock it takes and what it waits for or scans
 * @param safe the safe SQL sequence instead
 * @param trace what the statement did on a real server when traced, or null when not traced
 * @param rewrite the exact safe form {@code zerolock apply} runs instead, or null when there is none
 */
public record Finding(String ruleId, String ruleName, Severity severity, String file, int line, int column,
        String statement, String message, String why, String safe, String trace, Rewrite rewrite) {

    public Finding withTrace(String evidence) {
        return new Finding(ruleId, ruleName, severity, file, line, column, statement, message, why, safe, evidence,
                rewrite);
    }

    /**
     * Findings as the migration tools' adapters print them when they stop a run: where, severity, rule, what,
     * and the safe SQL instead.
     */
    public static String describe(java.util.List<Finding> findings) {
        StringBuilder text = new StringBuilder();
        for (Finding finding : findings) {
            text.append(finding.file()).append(':').append(finding.line()).append(':').append(finding.column())
                    .append("  ").append(finding.severity().id()).append("  ").append(finding.ruleId()).append(' ')
                    .append(finding.ruleName()).append('\n').append("  ").append(finding.message()).append('\n');
            if (finding.safe() != null && !finding.safe().isBlank()) {
                text.append("  instead:\n");
                finding.safe().lines().forEach(line -> text.append("    ").append(line).append('\n'));
            }
        }
        return text.toString();
    }
}

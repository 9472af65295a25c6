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
}

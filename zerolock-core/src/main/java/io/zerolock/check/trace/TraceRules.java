package io.zerolock.check.trace;

import io.zerolock.check.Severity;
import io.zerolock.check.rules.Context;
import io.zerolock.check.rules.Rule;
import java.util.List;
import java.util.Optional;

/** Findings only a trace can make: what the server did that no static rule predicted. */
public final class TraceRules {

    public static final Rule REWRITE = new TraceOnly("ZL100", "traced-rewrite", Severity.ERROR,
            "On the traced server this statement replaced a table's or index's storage: a full rewrite under ACCESS "
                    + "EXCLUSIVE, which on a large table blocks reads and writes for as long as the copy takes.",
            "Find the column type, default or storage change that forces the rewrite and use the expand-and-contract "
                    + "path instead: new column, batched backfill, short swap.");
    public static final Rule SCAN = new TraceOnly("ZL101", "traced-scan-under-lock", Severity.WARNING,
            "On the traced server this statement read a whole table while holding a lock that blocks writes: on a "
                    + "large table, writes wait for the whole scan.",
            "Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate transaction; or move the check out of "
                    + "the locked statement.");

    public static final Rule FAILED = new TraceOnly("ZL102", "fails-on-server", Severity.ERROR,
            "On the traced server of the production version this statement failed: the deploy breaks there, half-way "
                    + "through the migration when the runner does not wrap the file in a transaction.",
            "Fix the statement for this PostgreSQL version (the server's error says what it refused), and trace again.");

    private TraceRules() {}

    public static List<Rule> all() {
        return List.of(REWRITE, SCAN, FAILED);
    }

    private static final class TraceOnly extends Rule {
        TraceOnly(String id, String name, Severity severity, String why, String safe) {
            super(id, name, severity, 11, why, safe);
        }

        @Override
        public Optional<String> check(Context context) {
            return Optional.empty(); // made by TraceVerdict from what the server did
        }
    }
}

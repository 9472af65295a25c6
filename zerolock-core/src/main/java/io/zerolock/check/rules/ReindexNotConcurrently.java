package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL003 reindex-not-concurrently: REINDEX without CONCURRENTLY blocks writes to the table (SHARE) and every query that would use the index (ACCESS EXCLUSIVE on the index) for the whole rebuild. */
public final class ReindexNotConcurrently extends Rule {

    public ReindexNotConcurrently() {
        super("ZL003", "reindex-not-concurrently", Severity.ERROR, 11,
                "REINDEX without CONCURRENTLY blocks writes to the table (SHARE) and every query that would use the index (ACCESS EXCLUSIVE on the index) for the whole rebuild.",
                "REINDEX <kind> CONCURRENTLY <name>;  -- PostgreSQL 12+, outside a transaction; or: zerolock reindex <zerolock-target>");
    }

    @Override
    public String safeFor(Context context) {
        if (context.recognized() instanceof io.zerolock.check.recognize.Recognized.Reindex reindex
                && reindex.target() != null) {
            String target = Placeholders.values(reindex).get("<zerolock-target>");
            return SafeForms.reindexConcurrently(context, target == null ? "zerolock reindex"
                    : "zerolock reindex " + target).map(io.zerolock.check.Rewrite::render)
                    .orElseGet(() -> super.safeFor(context));
        }
        return super.safeFor(context);
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        if (context.recognized() instanceof Recognized.Reindex reindex && reindex.target() != null) {
            return SafeForms.reindexConcurrently(context, "zerolock reindex");
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.Reindex reindex && !reindex.concurrently()
                && !reindex.kind().equals("SYSTEM")) {
            return Optional.of("REINDEX " + reindex.kind() + (reindex.target() == null ? "" : " " + reindex.target())
                    + " without CONCURRENTLY" + (context.pgVersion() < 12 ? " (PostgreSQL " + context.pgVersion()
                    + " has no REINDEX CONCURRENTLY: use zerolock reindex)" : ""));
        }
        return Optional.empty();
    }
}

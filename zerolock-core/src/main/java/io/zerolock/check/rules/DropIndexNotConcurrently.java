package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL002 drop-index-not-concurrently: DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table. */
public final class DropIndexNotConcurrently extends Rule {

    public DropIndexNotConcurrently() {
        super("ZL002", "drop-index-not-concurrently", Severity.WARNING, 11,
                "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: reads and writes queue behind it, and behind any long query it waits for.",
                "DROP INDEX CONCURRENTLY IF EXISTS <name>;  -- outside a transaction");
    }

    @Override
    public Optional<io.zerolock.check.Rewrite> rewrite(Context context) {
        return SafeForms.dropIndexConcurrently(context);
    }

    @Override
    public Optional<String> check(Context context) {
        // under a lock_timeout the ACCESS EXCLUSIVE is brief and bounded: it blocks no one for long
        if (context.recognized() instanceof Recognized.DropIndex drop && !drop.concurrently()
                && !context.state().lockTimeoutSet()
                && drop.indexes().stream().noneMatch(context.state()::isNewIndex)
                && !(drop.ifExists() && drop.indexes().stream().noneMatch(context.state()::knownIndex))) {
            return Optional.of("DROP INDEX " + drop.indexes().get(0) + " without CONCURRENTLY");
        }
        return Optional.empty();
    }
}

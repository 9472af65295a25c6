package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL005 concurrent-index-if-not-exists: If an earlier CREATE INDEX CONCURRENTLY failed, its index exists but is INVALID; IF NOT EXISTS then skips the build and the migration passes without a usable index. */
public final class ConcurrentIfNotExists extends Rule {

    public ConcurrentIfNotExists() {
        super("ZL005", "concurrent-index-if-not-exists", Severity.WARNING, 11,
                "If an earlier CREATE INDEX CONCURRENTLY failed, its index exists but is INVALID; IF NOT EXISTS then skips the build and the migration passes without a usable index.",
                "DROP INDEX CONCURRENTLY IF EXISTS <name>;\nCREATE INDEX CONCURRENTLY <name> ON <table> (...);");
    }

    @Override
    public Optional<String> check(Context context) {
        if (context.recognized() instanceof Recognized.CreateIndex index && index.concurrently() && index.ifNotExists()) {
            return Optional.of("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + index.index()
                    + " would keep an invalid index left by a failed build");
        }
        return Optional.empty();
    }
}

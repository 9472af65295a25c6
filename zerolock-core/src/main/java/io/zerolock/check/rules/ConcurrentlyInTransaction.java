package io.zerolock.check.rules;

import io.zerolock.check.Severity;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Recognized;
import java.util.Optional;

/** ZL004 concurrently-in-transaction: CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY (and, before PostgreSQL 12, ALTER TYPE . */
public final class ConcurrentlyInTransaction extends Rule {

    public ConcurrentlyInTransaction() {
        super("ZL004", "concurrently-in-transaction", Severity.ERROR, 11,
                "CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY (and, before PostgreSQL 12, ALTER TYPE ... ADD VALUE) cannot run inside a transaction block: the migration fails with an error.",
                "Run the statement on its own, outside BEGIN ... COMMIT (Flyway: executeInTransaction=false; Liquibase: runInTransaction='false').");
    }

    @Override
    public Optional<String> check(Context context) {
        if (!context.state().inTransaction()) {
            return Optional.empty();
        }
        Recognized r = context.recognized();
        boolean concurrently = r instanceof Recognized.CreateIndex index && index.concurrently()
                || r instanceof Recognized.DropIndex drop && drop.concurrently()
                || r instanceof Recognized.Reindex reindex && reindex.concurrently()
                || actions(context, Action.DetachPartition.class).stream().anyMatch(Action.DetachPartition::concurrently);
        if (r instanceof Recognized.AddEnumValue value && context.pgVersion() < 12) {
            return Optional.of("ALTER TYPE " + value.type() + " ... ADD VALUE inside a transaction block (allowed "
                    + "from PostgreSQL 12)");
        }
        return concurrently ? Optional.of("a CONCURRENTLY statement inside a transaction block") : Optional.empty();
    }
}

package io.zerolock.cleanup;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds every invalid index in the database and decides, for each, whether it is a tool's leftover to
 * drop, a user's failed build to report (or rebuild, when asked), or something to keep. It never touches
 * a valid index, nor an index a constraint uses.
 */
public final class Cleanup {

    /** REINDEX CONCURRENTLY names its indexes {@code <name>_ccnew}, {@code _ccnew1}, ...; the base may be truncated. */
    private static final Pattern CC_NEW = Pattern.compile("(?s).*_ccnew\\d*");
    private static final Pattern CC_OLD = Pattern.compile("(?s).*_ccold\\d*");
    private static final Pattern ZEROLOCK = Pattern.compile("zerolock_\\d+_(new|old)");

    private Cleanup() {}

    public static LeftoverKind classify(String indexName) {
        if (ZEROLOCK.matcher(indexName).matches()) {
            return LeftoverKind.ZEROLOCK_WORKING_INDEX;
        }
        if (CC_NEW.matcher(indexName).matches()) {
            return LeftoverKind.REINDEX_CONCURRENTLY_NEW;
        }
        if (CC_OLD.matcher(indexName).matches()) {
            return LeftoverKind.REINDEX_CONCURRENTLY_OLD;
        }
        return LeftoverKind.FAILED_BUILD;
    }

    /** Every invalid index of the database (system catalogs aside), classified, with the action to take. */
    public static List<InvalidIndex> find(CatalogReader catalog, boolean rebuildInvalid) {
        List<InvalidIndex> found = new ArrayList<>();
        for (IndexDefinition index : catalog.indexes(catalog.invalidIndexOids())) {
            LeftoverKind kind = classify(index.name().name());
            if (catalog.constraintUsingIndex(index.oid()).isPresent()
                    || !catalog.foreignKeysReferencing(index.oid()).isEmpty()) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.KEEP,
                        "a constraint uses it: rebuild it with zerolock reindex instead"));
            } else if (kind.droppable()) {
                found.add(new InvalidIndex(index, kind, InvalidIndex.Action.DROP, null));
            } else {
                found.add(new InvalidIndex(index, kind,
                        rebuildInvalid ? InvalidIndex.Action.REBUILD : InvalidIndex.Action.REPORT, null));
            }
        }
        return found;
    }

    /** One step per index to drop or rebuild, all concurrent, drops under lock_timeout with retries. */
    public static Plan plan(List<InvalidIndex> indexes, ServerInfo server, Duration lockTimeout, int attempts) {
        LockPolicy bounded = LockPolicy.bounded(lockTimeout, attempts);
        List<Step> steps = new ArrayList<>();
        for (InvalidIndex invalid : indexes) {
            IndexDefinition index = invalid.index();
            if (invalid.action() == InvalidIndex.Action.DROP) {
                steps.add(new Step("drop:" + index.name().name(), "drop " + index.name().display() + ", "
                        + invalid.kind().description(), List.of("DROP INDEX CONCURRENTLY IF EXISTS " + index.name().sql()),
                        LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(index.table(), index.name()), false, bounded,
                        List.of(), false));
            } else if (invalid.action() == InvalidIndex.Action.REBUILD && server.major() >= 12) {
                steps.add(new Step("rebuild:" + index.name().name(), "rebuild " + index.name().display()
                        + " (a failed build) with REINDEX CONCURRENTLY",
                        List.of("REINDEX INDEX CONCURRENTLY " + index.name().sql()), LockMode.SHARE_UPDATE_EXCLUSIVE,
                        List.of(index.table(), index.name()), false, LockPolicy.concurrentBuild(), List.of(), false));
            }
        }
        return new Plan("invalid indexes", "cleanup", steps, List.of(), bounded);
    }
}

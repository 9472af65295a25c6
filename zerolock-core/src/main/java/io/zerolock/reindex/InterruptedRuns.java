package io.zerolock.reindex;

import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.NameResolver;
import io.zerolock.catalog.WorkingIndexNames;
import io.zerolock.execute.Executor;
import io.zerolock.journal.Journal;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every journaled operation of a dead run (killed, its connection lost, the server stopped) a final
 * outcome: what it left is finished or undone from what the catalog shows now. A reindex leaves, at
 * most, its working index ({@code zerolock_<oid>_new}, built or half-built), the retired original
 * ({@code zerolock_<oid>_old}), REINDEX CONCURRENTLY's {@code _ccnew}/{@code _ccold}, and foreign keys
 * re-created NOT VALID; those keys are validated first (by the caller), then the rest is dropped
 * concurrently. The original index (or its committed replacement) is never touched. Call holding the
 * advisory locks of the operation's table.
 */
final class InterruptedRuns {

    private static final Logger log = LoggerFactory.getLogger(InterruptedRuns.class);

    /** What was done for one operation. */
    record Finished(long operationId, String target, String outcome, String note, boolean dropped) {}

    private InterruptedRuns() {}

    static List<Finished> finish(Journal journal, CatalogReader catalog, Connection work, String target,
            LockPolicy policy) {
        List<Finished> finished = new ArrayList<>();
        for (Journal.Unfinished operation : journal.unfinished(target)) {
            Finished result = finishOne(catalog, work, operation, policy);
            if (!operation.running()) {
                // it ended, failed or stopped, but its undo may not have finished: only what was left counts
                if (result.dropped()) {
                    journal.noteRepair(operation.id(), "later, resume " + result.note());
                    finished.add(new Finished(operation.id(), operation.target(), operation.outcome(),
                            "its undo had not finished; " + result.note(), true));
                }
                continue;
            }
            journal.finish(operation.id(), result.outcome(), result.note());
            log.atWarn().setMessage("finished what an interrupted run left").addKeyValue("operation", operation.id())
                    .addKeyValue("target", operation.target()).addKeyValue("outcome", result.outcome())
                    .addKeyValue("note", result.note()).log();
            finished.add(result);
        }
        return finished;
    }

    private static Finished finishOne(CatalogReader catalog, Connection work, Journal.Unfinished operation,
            LockPolicy policy) {
        Optional<IndexDefinition> current = currentIndex(catalog, operation.target());
        List<IndexDefinition> leftovers = new ArrayList<>();
        Map<Long, String> builds = catalog.concurrentBuildsInProgress();
        for (IndexDefinition other : catalog.indexes(catalog.indexOidsOfTable(operation.tableOid()))) {
            boolean mine = other.name().name().equals(WorkingIndexNames.working(operation.indexOid()))
                    || other.name().name().equals(WorkingIndexNames.retired(operation.indexOid()))
                    || (current.isPresent() && ReindexTarget.isLeftover(other, current.get()));
            if (mine && !builds.containsKey(other.oid()) && !builds.containsKey(other.tableOid())) {
                leftovers.add(other);
            }
        }
        List<String> dropped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (IndexDefinition leftover : leftovers) {
            Plan drop = Plan.dropConcurrently(leftover.name().display(), "resume", "drop-leftover",
                    "drop what an interrupted run left", leftover.name().sql(),
                    List.of(leftover.table(), leftover.name()), policy);
            try {
                new Executor(work).run(drop);
                dropped.add(leftover.name().display());
            } catch (ZerolockException e) {
                failed.add(leftover.name().display() + " (" + e.getMessage() + ")");
            }
        }
        boolean completed = operation.steps().values().stream().allMatch("done"::equals);
        String interruptedAt = operation.steps().entrySet().stream().filter(step -> !step.getValue().equals("done"))
                .map(Map.Entry::getKey).findFirst().orElse("-");
        String note = (!operation.running() ? "" : completed ? "every step had finished; "
                : "the run died at step " + interruptedAt + "; ")
                + (dropped.isEmpty() ? "nothing was left behind" : "dropped what it left: " + String.join(", ", dropped))
                + (failed.isEmpty() ? "" : "; could not drop " + String.join(", ", failed) + ": run zerolock resume "
                        + "or cleanup again")
                + (current.isPresent() ? "; " + current.get().name().display() + " is intact" : "");
        return new Finished(operation.id(), operation.target(), completed ? "done" : "interrupted", note,
                !dropped.isEmpty());
    }

    private static Optional<IndexDefinition> currentIndex(CatalogReader catalog, String target) {
        try {
            return catalog.index(new NameResolver(catalog).index(target).oid());
        } catch (ZerolockException gone) {
            return Optional.empty();
        }
    }
}

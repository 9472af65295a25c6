package io.zerolock.execute;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.WorkingIndexNames;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code REINDEX ... CONCURRENTLY} that fails (duplicate values, a cancel, a lost connection) leaves its
 * new index behind, invalid, as {@code <name>_ccnew}: still maintained on every write, never used. Every
 * caller that runs one notes the table's invalid indexes before, and after a failure drops the ones that
 * appeared, concurrently and bounded, so a failure leaves nothing behind.
 */
public final class FailedConcurrentBuild {

    private static final Logger log = LoggerFactory.getLogger(FailedConcurrentBuild.class);

    private FailedConcurrentBuild() {}

    /** The invalid indexes of a table now: call before the build, to compare after a failure. */
    public static List<Long> invalidIndexes(Connection connection, long tableOid) {
        List<Long> oids = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = ? AND NOT indisvalid")) {
            statement.setLong(1, tableOid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    oids.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "catalog query failed: " + e.getMessage(), e);
        }
        return oids;
    }

    /**
     * Drops the {@code _ccnew} indexes of this table that were not there {@code before}; returns what it
     * said it did, for the failure's message (what was dropped, or what is left for the next run).
     */
    public static String dropLeftovers(Connection work, long tableOid, List<Long> before, LockPolicy policy) {
        return drop(work, tableOid, before, policy, true);
    }

    /**
     * After a failed {@code CREATE INDEX CONCURRENTLY} (or one whose run died): the invalid indexes of this
     * table that were not there {@code before} and that no other session is building now, dropped
     * concurrently; returns what it did, for the failure's message.
     */
    public static String dropFailedBuilds(Connection work, long tableOid, List<Long> before, LockPolicy policy) {
        return drop(work, tableOid, before, policy, false);
    }

    private static String drop(Connection work, long tableOid, List<Long> before, LockPolicy policy,
            boolean onlyReindexLeftovers) {
        List<Long> now;
        try {
            now = invalidIndexes(work, tableOid);
        } catch (ZerolockException e) {
            return "could not look for the index the failed build left (" + e.getMessage() + "); zerolock cleanup "
                    + "drops it";
        }
        now.removeAll(before);
        List<String> dropped = new ArrayList<>();
        List<String> left = new ArrayList<>();
        CatalogReader catalog = new CatalogReader(work);
        java.util.Map<Long, String> building = onlyReindexLeftovers ? java.util.Map.of()
                : catalog.concurrentBuildsInProgress();
        for (IndexDefinition leftover : catalog.indexes(now)) {
            if (onlyReindexLeftovers
                    && !WorkingIndexNames.concurrentRole(leftover.name().name()).equals(java.util.Optional.of("new"))) {
                continue;
            }
            if (building.containsKey(leftover.oid()) || building.containsKey(leftover.tableOid())) {
                continue; // another session's build in progress: not ours to drop
            }
            Plan drop = Plan.dropConcurrently(leftover.name().display(), "cleanup", "drop-ccnew",
                    "drop the invalid index a failed concurrent build left", leftover.name().sql(),
                    List.of(leftover.table(), leftover.name()), policy);
            try {
                new Executor(work).unstoppable().run(drop); // not journaled as a step of the failed plan
                dropped.add(leftover.name().display());
            } catch (ZerolockException e) {
                log.atError().setMessage("could not drop the invalid index a failed concurrent build left; "
                        + "zerolock cleanup drops it later").addKeyValue("index", leftover.name().display()).log();
                left.add(leftover.name().display());
            }
        }
        if (dropped.isEmpty() && left.isEmpty()) {
            return "it left nothing behind";
        }
        return (dropped.isEmpty() ? "" : "dropped what it left behind (" + String.join(", ", dropped) + ")")
                + (dropped.isEmpty() || left.isEmpty() ? "" : "; ")
                + (left.isEmpty() ? "" : "could not drop " + String.join(", ", left) + " yet: zerolock cleanup drops "
                        + "it");
    }
}

package io.zerolock.reindex;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.connect.Connector;
import io.zerolock.execute.Executor;
import io.zerolock.execute.TableLock;
import io.zerolock.journal.Journal;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How reindex finishes what its dead runs left: the foreign keys a committed swap re-created NOT VALID are
 * validated, then {@link InterruptedRuns} drops what else they left and gives each operation its outcome.
 * Used by the next reindex of the same index and by {@code zerolock resume}.
 */
public final class ReindexResume implements io.zerolock.journal.Recovery {

    private static final Logger log = LoggerFactory.getLogger(ReindexResume.class);

    private final Connector connector;
    private final ReindexOptions options;

    public ReindexResume(Connector connector, ReindexOptions options) {
        this.connector = connector;
        this.options = options;
    }

    /**
     * Finishes what interrupted runs left of this target (or, with null, of every target): foreign keys
     * re-created NOT VALID by a swap that committed, whose VALIDATE never finished.
     */
    int validations(Journal journal, Connection work, String target) {
        int resumed = 0;
        for (Journal.PendingValidation pending : journal.pendingValidations(target)) {
            if (!notValid(work, pending)) {
                // the swap never committed: the original key is valid, there is nothing to finish
                journal.resumed(pending);
                continue;
            }
            log.atWarn().setMessage("finishing an interrupted run: validating the foreign key its swap re-created "
                    + "NOT VALID").addKeyValue("target", pending.target()).addKeyValue("step", pending.step())
                    .addKeyValue("operation", pending.operationId()).log();
            Plan validate = new Plan(pending.target(), "resume", List.of(new io.zerolock.plan.Step(io.zerolock.plan.StepKind.VALIDATE, pending.constraint(), pending.step(),
                    "finish an interrupted run", List.of(pending.sql()),
                    io.zerolock.plan.LockMode.SHARE_UPDATE_EXCLUSIVE, List.of(), true,
                    io.zerolock.plan.LockPolicy.bounded(options.lockTimeout(), options.lockAttempts()), List.of(),
                    false)), List.of(), io.zerolock.plan.LockPolicy.bounded(options.lockTimeout(),
                            options.lockAttempts()));
            try {
                new Executor(work).run(validate);
            } catch (ZerolockException e) {
                if (!(e.getCause() instanceof SQLException sql && io.zerolock.SqlState.UNDEFINED_OBJECT.equals(
                        sql.getSQLState()))) {
                    throw e;
                }
                log.atWarn().setMessage("the foreign key to validate no longer exists; nothing to finish")
                        .addKeyValue("step", pending.step()).log();
            }
            journal.resumed(pending);
            resumed++;
        }
        return resumed;
    }

    /**
     * Whether the foreign key a pending validation names, referencing the operation's table, is NOT VALID now;
     * true when the catalog cannot say (validating again is never wrong).
     */
    private static boolean notValid(Connection connection, Journal.PendingValidation pending) {
        try (var statement = connection.prepareStatement("SELECT bool_or(NOT convalidated) FROM "
                + "pg_catalog.pg_constraint WHERE contype = 'f' AND conname = ? AND confrelid = ?")) {
            statement.setString(1, pending.constraint());
            statement.setLong(2, pending.tableOid());
            try (var rows = statement.executeQuery()) {
                rows.next();
                boolean notValid = rows.getBoolean(1);
                return notValid || rows.wasNull();
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Every journaled reindex or cleanup operation of a dead run gets a final outcome, what it left
     * finished or undone (foreign keys left NOT VALID are validated; working indexes are dropped); creates
     * nothing. Each operation's table is locked first, as a run locks it, so a live run is never touched.
     *
     * @return one line per operation finished, saying what was done
     */
    @Override
    public List<String> kinds() {
        return List.of("reindex", "cleanup");
    }

    @Override
    public List<String> finishDeadRuns() {
        try (Connection catalogConnection = connector.openCatalog()) {
            if (!Journal.exists(catalogConnection, options.stateSchema())) {
                return List.of();
            }
            Reindexer.qualifyEverything(catalogConnection);
            CatalogReader catalog = new CatalogReader(catalogConnection);
            List<String> finished = new ArrayList<>();
            try (Connection work = connector.open("work");
                    Journal journal = Journal.open(connector.open("journal"), options.stateSchema())) {
                Map<String, Long> targets = new java.util.LinkedHashMap<>();
                journal.pendingValidations(null).forEach(pending -> targets.put(pending.target(), pending.tableOid()));
                journal.unfinished(null).forEach(operation -> targets.put(operation.target(), operation.tableOid()));
                for (Map.Entry<String, Long> target : targets.entrySet()) {
                    Optional<QualifiedName> table = catalog.relationName(target.getValue());
                    if (table.isEmpty()) {
                        journal.unfinished(target.getKey()).forEach(operation -> journal.finish(operation.id(),
                                "interrupted", "the run died; its table is gone"));
                        continue;
                    }
                    try (TableLock held = TableLock.acquire(catalogConnection, target.getValue(), table.get(),
                            options.waitForOthers())) {
                        log.atDebug().setMessage("table lock held").addKeyValue("advisory_key", held.key()).log();
                        int validated = validations(journal, work, target.getKey());
                        if (validated > 0) {
                            finished.add(target.getKey() + ": validated " + validated + " foreign key"
                                    + (validated == 1 ? "" : "s") + " an interrupted swap had left NOT VALID");
                        }
                        for (InterruptedRuns.Finished done : InterruptedRuns.finish(journal, catalog, work,
                                target.getKey(), LockPolicy.bounded(options.lockTimeout(), options.lockAttempts()))) {
                            finished.add(done.target() + ": operation " + done.operationId() + " " + done.outcome()
                                    + ": " + done.note());
                        }
                    }
                }
            }
            return finished;
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "resume failed: " + e.getMessage(), e);
        }
    }
}

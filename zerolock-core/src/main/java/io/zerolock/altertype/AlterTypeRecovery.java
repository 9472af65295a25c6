package io.zerolock.altertype;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.QualifiedName;
import io.zerolock.execute.Executor;
import io.zerolock.execute.TableLock;
import io.zerolock.journal.Journal;
import io.zerolock.plan.Plan;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code zerolock resume} recovers type changes whose run died, without the command's arguments: one
 * whose swap committed is finished (its foreign keys validated); before the swap, an index its build left
 * invalid is dropped concurrently and the operation is said to be finished by the next {@code alter-type}
 * of the same column (or undone by {@code --abort}): the table is unchanged for the application meanwhile,
 * though its trigger goes on keeping the new column in step.
 */
final class AlterTypeRecovery implements io.zerolock.journal.Recovery {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AlterTypeRecovery.class);

    private final AlterTyper typer;

    AlterTypeRecovery(AlterTyper typer) {
        this.typer = typer;
    }

    @Override
    public List<String> kinds() {
        return List.of(TypeChangePlanner.KIND);
    }

    @Override
    public List<String> finishDeadRuns() {
        List<String> lines = new ArrayList<>();
        try (Connection catalog = typer.connector().openCatalog()) {
            if (!Journal.exists(catalog, typer.options().stateSchema())) {
                return lines;
            }
            CatalogReader reader = new CatalogReader(catalog);
            try (Journal journal = typer.openJournal(); Connection work = typer.connector().open("work")) {
                for (Journal.Unfinished operation : journal.unfinished(kinds(), null)) {
                    if (!operation.running()) {
                        continue; // it ended and said so; the next alter-type takes it from there
                    }
                    Optional<QualifiedName> table = reader.relationName(operation.tableOid());
                    if (table.isEmpty()) {
                        journal.finish(operation.id(), "interrupted", "the run died; its table is gone");
                        continue;
                    }
                    try (TableLock held = TableLock.acquire(catalog, operation.tableOid(), table.get(),
                            Duration.ZERO)) {
                        log.atDebug().setMessage("table lock held").addKeyValue("advisory_key", held.key()).log();
                        if (AlterTyper.swapped(journal, operation)) {
                            AlterTypeOutcome done = typer.finishValidations(journal, List.of(operation),
                                    operation.target(), table.get());
                            lines.add(operation.target() + ": type change " + operation.id() + " finished: its swap "
                                    + "had committed; validated " + done.steps().size() + " foreign key(s)");
                            continue;
                        }
                        List<String> dropped = new ArrayList<>();
                        for (Map.Entry<String, String> step : operation.steps().entrySet()) {
                            String index = journal.stepSubject(operation.id(), step.getKey());
                            if (step.getKey().startsWith("build:") && !step.getValue().equals("done") && index != null
                                    && new CatalogReader(work).indexValidity(index).filter(v -> !v).isPresent()) {
                                new Executor(work).run(Plan.dropConcurrently(index, TypeChangePlanner.KIND,
                                        "drop-invalid", "drop the index a dead build left invalid", index,
                                        List.of(table.get()), io.zerolock.plan.LockPolicy.bounded(
                                                typer.options().lockTimeout(), typer.options().lockAttempts())));
                                dropped.add(index);
                            }
                        }
                        String note = "the run died before its swap" + (dropped.isEmpty() ? "" : "; dropped the index "
                                + "its build left invalid: " + String.join(", ", dropped)) + "; the table is unchanged "
                                + "for the application. Run the same zerolock alter-type again to finish it, or "
                                + "alter-type " + operation.target() + " --abort to undo it";
                        journal.finish(operation.id(), "interrupted", note);
                        lines.add(operation.target() + ": type change " + operation.id() + " interrupted: " + note);
                    } catch (ZerolockException busy) {
                        if (!busy.getMessage().startsWith("another zerolock is working")) {
                            throw busy;
                        }
                        lines.add(operation.target() + ": another zerolock run holds the table; left to it");
                    }
                }
            }
        } catch (ZerolockException e) {
            throw e;
        } catch (Exception e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "resume of type changes failed: "
                    + e.getMessage(), e);
        }
        return lines;
    }
}

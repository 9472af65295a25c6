package io.zerolock.apply;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.journal.Journal;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How apply recovers its dead runs without their files: an index a build left invalid is dropped
 * concurrently, the operation gets its outcome, and the next {@code zerolock apply} of the same files
 * finishes the file (it knows the steps left; they are journaled done or not, committed or not).
 */
final class ApplyRecovery implements io.zerolock.journal.Recovery {

    private final Applier applier;

    ApplyRecovery(Applier applier) {
        this.applier = applier;
    }

    @Override
    public List<String> kinds() {
        return List.of("apply");
    }

    /**
     * {@code zerolock resume} for apply: what an interrupted apply left that can be repaired without its
     * files is repaired (an index its build left invalid is dropped concurrently), and the operation is
     * said to be finished by the next {@code zerolock apply} of the same files, which knows the rest.
     * Skipped, and said so, while another apply runs. Returns one line per operation.
     */
    @Override
    public List<String> finishDeadRuns() {
        List<String> lines = new ArrayList<>();
        try (Connection catalog = applier.connector().openCatalog()) {
            if (!Journal.exists(catalog, applier.options().stateSchema())) {
                return lines;
            }
            AutoCloseable lock;
            try {
                lock = applier.applyLock(catalog);
            } catch (ZerolockException running) {
                lines.add("apply: another zerolock apply is running; its operations are left to it");
                return lines;
            }
            try (lock; Connection work = applier.connector().open("work"); Journal journal = applier.openJournal()) {
                for (Journal.Unfinished operation : journal.unfinishedWhileExclusive(kinds(), null)) {
                    if (!operation.running()) {
                        continue; // it ended failed or interrupted and said so; the next apply takes it from there
                    }
                    List<String> dropped = new ArrayList<>();
                    for (Map.Entry<String, String> step : operation.steps().entrySet()) {
                        String index = journal.stepSubject(operation.id(), step.getKey());
                        if (!step.getValue().equals("done") && step.getKey().endsWith(":build") && index != null
                                && new io.zerolock.catalog.CatalogReader(work).indexValidity(index).filter(valid -> !valid).isPresent()) {
                            applier.dropInvalid(work, index);
                            dropped.add(index);
                        }
                    }
                    String note = "the run died" + (dropped.isEmpty() ? "" : "; dropped the index its build left "
                            + "invalid: " + String.join(", ", dropped)) + "; the next zerolock apply of the same files "
                            + "finishes " + operation.target() + " from where it stopped";
                    journal.finish(operation.id(), "interrupted", note);
                    lines.add(operation.target() + ": apply operation " + operation.id() + " interrupted: " + note);
                }
            }
        } catch (ZerolockException e) {
            throw e;
        } catch (Exception e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "resume of apply failed: " + e.getMessage(), e);
        }
        return lines;
    }
}

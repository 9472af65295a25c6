package io.zerolock.cli;

import io.zerolock.Zerolock;
import io.zerolock.reindex.ReindexOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resume", usageHelpAutoWidth = true,
        description = {"Finish or undo what interrupted zerolock runs left (killed, disconnected, the server "
                + "stopped), from the journal: foreign keys that a swap re-created NOT VALID are validated (SHARE "
                + "UPDATE EXCLUSIVE: reads and writes go on), working indexes are dropped concurrently, and every "
                + "operation of a dead run gets a final outcome. A run that is still alive is never touched. The "
                + "next zerolock reindex of the same index does this by itself. An interrupted apply gets the index "
                + "its build left invalid dropped, and is finished by the next zerolock apply of the same files. "
                + "Creates nothing when there is no journal."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock resume -d app", "  zerolock resume -d app --state-schema ops_zerolock"})
final class ResumeCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Mixin
    LockOptions locks;

    @Mixin
    StateSchemaOption stateSchema;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        locks.validate(spec.commandLine());
        ReindexOptions options = ReindexOptions.defaults().withLocks(locks.lockTimeout, locks.lockRetries)
                .withStateSchema(stateSchema.name(spec.commandLine()));
        List<String> resumed;
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            resumed = zerolock.resume(options);
        }
        if (resumed.isEmpty()) {
            spec.commandLine().getOut().println("Nothing to resume.");
        } else {
            spec.commandLine().getOut().println("Finished what interrupted runs left:");
            resumed.forEach(line -> spec.commandLine().getOut().println("  " + line));
        }
        return 0;
    }
}

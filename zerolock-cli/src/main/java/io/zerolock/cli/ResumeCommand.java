package io.zerolock.cli;

import io.zerolock.Zerolock;
import io.zerolock.reindex.ReindexOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resume", usageHelpAutoWidth = true,
        description = {"Finish what interrupted zerolock runs left, from the journal: foreign keys that a swap "
                + "re-created NOT VALID and whose validation never ran are validated (SHARE UPDATE EXCLUSIVE: "
                + "reads and writes go on). The next zerolock reindex of the same index does this by itself. "
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
        int resumed;
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            resumed = zerolock.resume(options);
        }
        spec.commandLine().getOut().println(resumed == 0 ? "Nothing to resume."
                : "Resumed: validated " + resumed + " foreign key" + (resumed == 1 ? "" : "s")
                        + " that interrupted runs had left NOT VALID.");
        return 0;
    }
}

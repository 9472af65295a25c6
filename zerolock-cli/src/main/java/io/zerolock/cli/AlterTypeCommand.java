package io.zerolock.cli;

import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.altertype.AlterTypeOptions;
import io.zerolock.altertype.AlterTypeOutcome;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "alter-type", usageHelpAutoWidth = true,
        description = {"Change a column's type without locking the table for the rewrite: a new column of the "
                + "type, kept in step by a trigger, filled in key ranges (throttled, resumable), its indexes built "
                + "concurrently and its checks validated, then the columns swapped in one short transaction under "
                + "lock_timeout with retries (constraints, foreign keys that reference it, sequence or identity, "
                + "default move with it), then the foreign keys validated. The old column is kept, renamed "
                + "<column>_retired, until --finish drops it.",
                "A change PostgreSQL makes without a rewrite (varchar(10) to varchar(20), varchar to text...) is "
                        + "one bounded ALTER instead. What cannot be carried over exactly is refused before "
                        + "anything changes. A killed run is finished by running the same command again."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock alter-type -d app public.orders.id bigint --dry-run",
                "  zerolock alter-type -d app public.orders.id bigint",
                "  zerolock alter-type -d app public.events.payload jsonb --using 'payload::jsonb'",
                "  zerolock alter-type -d app public.orders.id --finish"})
final class AlterTypeCommand implements Callable<Integer> {

    @Mixin
    ConnectionMixin connection;

    @Parameters(index = "0", paramLabel = "[SCHEMA.]TABLE.COLUMN", description = "The column to change.")
    String column;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", description = "The new type, as in ALTER COLUMN "
            + "... TYPE (not with --finish or --abort).")
    String type;

    @Option(names = "--using", paramLabel = "EXPRESSION", description = "How a row's new value is computed, in the "
            + "table's column names (default: a plain cast of the column).")
    String using;

    @Option(names = "--cascade", description = "Change the columns whose foreign keys reference this one to the "
            + "same type in the same operation (each through the same steps, all swapped together); without it "
            + "they keep their type (a foreign key from integer to bigint is valid).")
    boolean cascade;

    @ArgGroup(exclusive = true)
    Ending ending;

    static final class Ending {
        @Option(names = "--finish", required = true, description = "Drop the column a finished change retired "
                + "(after your grace period).")
        boolean finish;

        @Option(names = "--abort", required = true, description = "Before the swap: remove everything the change "
                + "added and leave the table as it was.")
        boolean abort;
    }

    @Option(names = "--dry-run", description = "Print the plan: each step, its SQL and its lock; change nothing.")
    boolean dryRun;

    @Mixin
    LockOptions locks;

    @Mixin
    WatchdogOptions watchdog;

    @Mixin
    BackfillOptions backfill;

    @Mixin
    GateOptions gate;

    @Mixin
    StateSchemaOption stateSchema;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    ReindexReport.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        locks.validate(spec.commandLine());
        boolean ends = ending != null;
        if (ends == (type != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), ends
                    ? "--finish and --abort take no TYPE" : "give the new TYPE (or --finish, or --abort)");
        }
        if (ends && (using != null || dryRun || cascade)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--using, --cascade and --dry-run "
                    + "go with a TYPE, not with --finish or --abort (--abort undoes the cascaded columns too)");
        }
        AlterTypeOptions options;
        try {
            options = new AlterTypeOptions(locks.lockTimeout, locks.lockRetries, watchdog.watchdog(),
                    stateSchema.name(spec.commandLine()),
                    backfill.throttle(AlterTypeOptions.defaults().throttle()),
                    gate.limitsLeavingStandbysToTheBackfill());
        } catch (ZerolockException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        AlterTypeOutcome outcome;
        try (Zerolock zerolock = Zerolock.connect(connection.options())) {
            if (ends && ending.finish) {
                outcome = zerolock.finishTypeChange(column, options);
            } else if (ends) {
                outcome = zerolock.abortTypeChange(column, options);
            } else {
                outcome = zerolock.alterType(column, type, using, cascade, options, dryRun, System.console() != null
                        ? new TerminalProgress(System.err) : progress -> { });
            }
        }
        spec.commandLine().getOut().print(AlterTypeReport.render(outcome, format));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

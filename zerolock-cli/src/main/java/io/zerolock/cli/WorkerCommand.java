package io.zerolock.cli;

import io.zerolock.ConnectionTarget;
import io.zerolock.Sizes;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.maintain.Fleet;
import io.zerolock.maintain.Worker;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.reindex.ReindexOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "worker", usageHelpAutoWidth = true,
        description = {"One pass of unattended maintenance over a database (-d) or every database of a fleet file "
                + "(--fleet): take the database's lease (another worker holding it keeps it), ask the gate, "
                + "finish what interrupted runs left, run the async queue's due items (zerolock queue), then rebuild "
                + "the bloated indexes worth it (as reindex --bloated), one at a time, inside the window; a build "
                + "that waits on another session longer than --max-wait (default 30 min for the worker) is "
                + "cancelled, cleaned up and tried again later. Schedule it with cron, a Kubernetes CronJob or a "
                + "systemd timer; several replicas may run at once.",
                "Exit 0 when every database was passed over (or left to the worker holding its lease), 1 when "
                        + "one failed (the others still ran)."},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock worker -d app --once --window 'Sat,Sun 01:00-05:00 Europe/Berlin'",
                "  zerolock worker --fleet fleet.toml --once"})
final class WorkerCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    ConnectionMixin connection;

    @Option(names = "--fleet", paramLabel = "FILE", description = "A fleet file (TOML) listing the databases, each "
            + "with its own window and limits; see the README.")
    Path fleet;

    @Option(names = "--once", required = true, description = "One pass, then exit (the only mode: the schedule is "
            + "cron's, a CronJob's or a timer's).")
    boolean once;

    @Option(names = "--parallel", paramLabel = "N", description = "Databases of a fleet passed over at once "
            + "(default: the fleet file's parallelism, else 1).")
    Integer parallel;

    @Mixin
    SelectionOptions selection;

    @Mixin
    GateOptions gate;

    @Mixin
    ReplicaOptions replica;

    @Option(names = "--max-xact-age", paramLabel = "DURATION", defaultValue = "10min", converter = Durations.class,
            description = "The gate waits while a transaction has been open longer: a concurrent build would wait "
                    + "for it (default: ${DEFAULT-VALUE}).")
    Duration maxTransactionAge;

    @Mixin
    LockOptions locks;

    @Mixin
    WatchdogOptions watchdog;

    /** Unattended builds are never left waiting for ever behind another session. */
    static final Duration UNATTENDED_MAX_WAIT = Duration.ofMinutes(30);

    @Mixin
    StateSchemaOption stateSchema;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        locks.validate(spec.commandLine());
        ReindexOptions options = ReindexOptions.defaults().withLocks(locks.lockTimeout, locks.lockRetries)
                .withStateSchema(stateSchema.name(spec.commandLine()))
                .withGate(gate.limits(maxTransactionAge, replica.maxReplicaLag, replica.maxReplicaBytes))
                .withWatchdog(new io.zerolock.execute.Watchdog(watchdog.warnAfter, watchdog.maxWait != null
                        ? watchdog.maxWait : UNATTENDED_MAX_WAIT), null);
        List<Worker.Pass> passes;
        if (fleet != null) {
            Fleet read = Fleet.read(fleet, selection.criteria(), selection.window());
            if (parallel != null) {
                read = new Fleet(parallel, read.databases());
            }
            passes = read.pass(ConnectionResolver.forThisProcess(), options);
        } else {
            ConnectionTarget target = ConnectionResolver.forThisProcess().resolve(connection.options());
            passes = List.of(Worker.once(target.database(), target, new Worker.Settings(selection.criteria(),
                    selection.window(), options)));
        }
        spec.commandLine().getOut().print(format == Format.json ? json(passes) : text(passes));
        spec.commandLine().getOut().flush();
        return passes.stream().anyMatch(p -> p.status() == Worker.Status.FAILED) ? 1 : 0;
    }

    private static String text(List<Worker.Pass> passes) {
        List<List<String>> rows = new ArrayList<>();
        for (Worker.Pass pass : passes) {
            rows.add(List.of(pass.database(), pass.status().name().toLowerCase(java.util.Locale.ROOT),
                    queued(pass), rebuilt(pass), pass.message()));
        }
        StringBuilder text = new StringBuilder(TextTable.render(List.of("DATABASE", "PASS", "QUEUED ITEMS RUN",
                "REBUILT", "WHAT HAPPENED"), rows));
        for (Worker.Pass pass : passes) {
            pass.resumed().forEach(line -> text.append(pass.database()).append(": finished ").append(line).append('\n'));
            pass.notStarted().forEach(line -> text.append(pass.database()).append(": not started: ").append(line)
                    .append('\n'));
        }
        return text.toString();
    }

    private static String queued(Worker.Pass pass) {
        List<String> ran = new ArrayList<>();
        for (io.zerolock.queue.QueueRunner.Outcome outcome : pass.queued()) {
            if (outcome.status() != io.zerolock.queue.QueueRunner.Status.NOT_STARTED) {
                ran.add(outcome.item().qualifiedName() + " (" + outcome.status().name().toLowerCase(java.util.Locale
                        .ROOT) + ")");
            }
        }
        return ran.isEmpty() ? "-" : String.join(", ", ran);
    }

    private static String rebuilt(Worker.Pass pass) {
        List<String> done = new ArrayList<>();
        for (ReindexOutcome outcome : pass.outcomes()) {
            if (outcome.status() == ReindexOutcome.Status.DONE) {
                done.add(outcome.index().display() + " (" + Sizes.pretty(outcome.oldSizeBytes()) + " -> "
                        + Sizes.pretty(outcome.newSizeBytes()) + ")");
            }
        }
        return done.isEmpty() ? "-" : String.join(", ", done);
    }

    private static String json(List<Worker.Pass> passes) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Worker.Pass pass : passes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("database", pass.database());
            item.put("status", pass.status().name().toLowerCase(java.util.Locale.ROOT));
            item.put("message", pass.message());
            item.put("resumed", pass.resumed());
            item.put("not_started", pass.notStarted());
            item.put("queued", pass.queued().stream().map(outcome -> {
                Map<String, Object> entry = new LinkedHashMap<>(QueueCommand.json(outcome.item()));
                entry.put("outcome", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
                entry.put("message", outcome.message());
                entry.put("duration_ms", outcome.took().toMillis());
                return entry;
            }).toList());
            item.put("outcomes", ReindexReport.items(pass.outcomes()));
            list.add(item);
        }
        return TextTable.json(list);
    }
}

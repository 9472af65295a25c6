package io.zerolock.cli;

import io.zerolock.ErrorCode;
import io.zerolock.Zerolock;
import io.zerolock.ZerolockException;
import io.zerolock.queue.Queue;
import io.zerolock.queue.QueueItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "queue", usageHelpAutoWidth = true,
        description = {"The async index queue: index builds, drops and constraint validations recorded now and run "
                + "later by zerolock worker, in its window, through the gate, one per table at a time. An item is "
                + "known by its definition, not its name: it is done when a valid index of that name has exactly "
                + "that definition; an invalid one of the name (a failed build) is dropped and built again; a valid "
                + "one of another definition is never touched (the item fails, showing both). zerolock apply then "
                + "skips the migration's CREATE INDEX of a built item, or builds it then and there.",
                "The queue lives in the state schema (table <state schema>.queue)."},
        subcommands = {QueueCommand.Add.class, QueueCommand.DropIndex.class, QueueCommand.Validate.class,
                QueueCommand.ListItems.class, QueueCommand.Approve.class, QueueCommand.Hold.class,
                QueueCommand.Remove.class, QueueCommand.Status.class},
        footerHeading = "%nExamples:%n",
        footer = {"  zerolock queue add -d app \"CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at)\"",
                "  zerolock queue add -d app --file V42__async_indexes.sql",
                "  zerolock queue drop-index -d app orders_old_idx",
                "  zerolock queue validate -d app orders orders_customer_fk",
                "  zerolock queue list -d app --format json",
                "  zerolock queue approve -d app orders_created_at_idx",
                "  zerolock queue status -d app --require orders_created_at_idx"})
final class QueueCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ErrorCode.BAD_USAGE.exitCode();
    }

    enum Format { text, json }

    /** What every queue subcommand shares: where the database is, where the queue lives. */
    abstract static class Subcommand implements Callable<Integer> {

        @Mixin
        ConnectionMixin connection;

        @Mixin
        StateSchemaOption stateSchema;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (Zerolock zerolock = Zerolock.connect(connection.options())) {
                String schema = stateSchema.name(spec.commandLine());
                if (readOnly() && !Queue.exists(zerolock.catalog().connection(), schema)) {
                    return runWithoutQueue(); // a read creates nothing, not even the state schema
                }
                try (Queue queue = zerolock.queue(schema)) {
                    return run(queue);
                }
            }
        }

        abstract int run(Queue queue);

        /** Whether the subcommand only reads (and so must not create the state schema). */
        boolean readOnly() {
            return false;
        }

        /** What a read-only subcommand says of a database that has no queue. */
        int runWithoutQueue() {
            throw new IllegalStateException("not a read-only subcommand");
        }

        void print(String text) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
    }

    /** Options of the subcommands that add items. */
    abstract static class Adding extends Subcommand {

        @Option(names = "--hold", description = "Queue it held: no worker runs it until zerolock queue approve.")
        boolean hold;

        @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
                description = "Runs a failing item gets (with a backoff of 5 min, doubling, between them) before it "
                        + "is failed until approved again (default: ${DEFAULT-VALUE}).")
        int maxAttempts;

        int report(Queue.AddResult result) {
            List<List<String>> rows = new ArrayList<>();
            for (Queue.Addition addition : result.additions()) {
                QueueItem item = addition.item();
                rows.add(List.of(String.valueOf(item.id()), item.qualifiedName(), item.kind().id(),
                        switch (addition.added()) {
                            case QUEUED -> item.state().id();
                            case ALREADY_QUEUED -> "already queued (" + item.state().id() + ")";
                            case ALREADY_DONE -> "done: the database has it already";
                        }, item.definition()));
            }
            StringBuilder text = new StringBuilder(TextTable.render(List.of("ITEM", "NAME", "KIND", "WHAT HAPPENED",
                    "DEFINITION"), rows));
            result.skipped().forEach(line -> text.append("skipped ").append(line).append('\n'));
            print(text.toString());
            return 0;
        }
    }

    @Command(name = "add", usageHelpAutoWidth = true,
            description = "Queue a CREATE INDEX (its name required; CONCURRENTLY and IF NOT EXISTS are implied), a "
                    + "DROP INDEX, or an ALTER TABLE ... VALIDATE CONSTRAINT; or, with --file, every one of them in a "
                    + "migration file (all or none; other statements are listed and left alone). Each is checked "
                    + "first: PostgreSQL reads the definition on an empty copy of the table.",
            footerHeading = "%nExamples:%n",
            footer = {"  zerolock queue add -d app \"CREATE INDEX orders_created_at_idx ON orders (created_at)\"",
                    "  zerolock queue add -d app --file db/async/V42__async_indexes.sql --hold"})
    static final class Add extends Adding {

        @Parameters(arity = "0..1", paramLabel = "STATEMENT", description = "The statement to queue.")
        String statement;

        @Option(names = "--file", paramLabel = "FILE", description = "A migration file whose index builds, drops "
                + "and validations are queued.")
        Path file;

        @Override
        int run(Queue queue) {
            if ((statement == null) == (file == null)) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "give a statement or --file, one of them");
            }
            if (file == null) {
                return report(queue.add(null, statement, hold, maxAttempts));
            }
            String sql;
            try {
                sql = Files.readString(file);
            } catch (IOException e) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot read " + file + ": " + e.getMessage(), e);
            }
            return report(queue.add(file.getFileName().toString(), sql, hold, maxAttempts));
        }
    }

    @Command(name = "drop-index", usageHelpAutoWidth = true,
            description = "Queue DROP INDEX CONCURRENTLY of an index (not one that enforces a constraint). It is "
                    + "dropped only while it still has the definition it has now.",
            footerHeading = "%nExamples:%n", footer = "  zerolock queue drop-index -d app orders_old_idx")
    static final class DropIndex extends Adding {

        @Parameters(paramLabel = "INDEX", description = "The index ([schema.]name).")
        String index;

        @Override
        int run(Queue queue) {
            return report(queue.dropIndex(index, hold, maxAttempts));
        }
    }

    @Command(name = "validate", usageHelpAutoWidth = true,
            description = "Queue the validation of a constraint added NOT VALID (ALTER TABLE ... VALIDATE CONSTRAINT: "
                    + "a scan under SHARE UPDATE EXCLUSIVE, writes go on).",
            footerHeading = "%nExamples:%n", footer = "  zerolock queue validate -d app orders orders_customer_fk")
    static final class Validate extends Adding {

        @Parameters(index = "0", paramLabel = "TABLE", description = "The table ([schema.]name).")
        String table;

        @Parameters(index = "1", paramLabel = "CONSTRAINT", description = "The constraint's name.")
        String constraint;

        @Override
        int run(Queue queue) {
            return report(queue.validate(table, constraint, hold, maxAttempts));
        }
    }

    @Command(name = "list", usageHelpAutoWidth = true, description = "Every item: its kind, state, attempts, last "
            + "error and definition.", footerHeading = "%nExamples:%n", footer = "  zerolock queue list -d app "
                    + "--format json")
    static final class ListItems extends Subcommand {

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
                description = "Output format (default: ${DEFAULT-VALUE}); json is an object with an \"items\" array.")
        Format format;

        @Override
        boolean readOnly() {
            return true;
        }

        @Override
        int runWithoutQueue() {
            return show(List.of());
        }

        @Override
        int run(Queue queue) {
            return show(queue.list());
        }

        private int show(List<QueueItem> items) {
            if (format == Format.json) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("items", items.stream().map(QueueCommand::json).toList());
                print(TextTable.json(root));
                return 0;
            }
            if (items.isEmpty()) {
                print("(the queue is empty)\n");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            for (QueueItem item : items) {
                rows.add(List.of(String.valueOf(item.id()), item.qualifiedName(), item.kind().id(), item.state().id(),
                        item.progress().attempts() + "/" + item.progress().maxAttempts(),
                        item.times().notBefore() == null || item.state() != io.zerolock.queue.ItemState.QUEUED ? "-"
                                : "after " + item.times().notBefore(),
                        item.progress().lastError() == null ? "" : item.progress().lastError()));
            }
            print(TextTable.render(List.of("ITEM", "NAME", "KIND", "STATE", "ATTEMPTS", "NEXT TRY", "LAST ERROR"),
                    rows));
            return 0;
        }
    }

    /** An item as {@code queue list --format json} prints it. */
    static Map<String, Object> json(QueueItem item) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", item.id());
        entry.put("name", item.displayName());
        entry.put("qualified_name", item.qualifiedName());
        entry.put("kind", item.kind().id());
        entry.put("table", item.table().display());
        entry.put("state", item.state().id());
        entry.put("attempts", item.progress().attempts());
        entry.put("max_attempts", item.progress().maxAttempts());
        entry.put("last_error", item.progress().lastError());
        entry.put("definition", item.definition());
        entry.put("queued_at", String.valueOf(item.times().queuedAt()));
        entry.put("queued_by", item.times().queuedBy());
        entry.put("updated_at", String.valueOf(item.times().updatedAt()));
        entry.put("not_before", item.times().notBefore() == null ? null : item.times().notBefore().toString());
        entry.put("started_at", item.times().startedAt() == null ? null : item.times().startedAt().toString());
        entry.put("finished_at", item.times().finishedAt() == null ? null : item.times().finishedAt().toString());
        return entry;
    }

    /** A subcommand that moves one item to another state, and says where it is now. */
    abstract static class ItemChange extends Subcommand {

        @Parameters(paramLabel = "ITEM", description = "The item: its number, name or qualified name.")
        String item;

        abstract QueueItem change(Queue queue, String written);

        @Override
        int run(Queue queue) {
            QueueItem now = change(queue, item);
            print(now.qualifiedName() + " is " + now.state().id() + "\n");
            return 0;
        }
    }

    @Command(name = "approve", usageHelpAutoWidth = true, description = "Let a held item run, or a failed one run "
            + "again (its attempts start over).", footerHeading = "%nExamples:%n",
            footer = "  zerolock queue approve -d app orders_created_at_idx")
    static final class Approve extends ItemChange {

        @Override
        QueueItem change(Queue queue, String written) {
            return queue.approve(written);
        }
    }

    @Command(name = "hold", usageHelpAutoWidth = true, description = "Keep a queued (or failed) item from running "
            + "until it is approved.", footerHeading = "%nExamples:%n",
            footer = "  zerolock queue hold -d app orders_created_at_idx")
    static final class Hold extends ItemChange {

        @Override
        QueueItem change(Queue queue, String written) {
            return queue.hold(written);
        }
    }

    @Command(name = "remove", usageHelpAutoWidth = true, description = "Take an item out of the queue (not while it "
            + "runs). What the database has is left as it is.", footerHeading = "%nExamples:%n",
            footer = "  zerolock queue remove -d app orders_created_at_idx")
    static final class Remove extends Subcommand {

        @Parameters(paramLabel = "ITEM", description = "The item: its number, name or qualified name.")
        String item;

        @Override
        int run(Queue queue) {
            QueueItem removed = queue.remove(item);
            print("removed " + removed.qualifiedName() + " (it was " + removed.state().id() + ")\n");
            return 0;
        }
    }

    @Command(name = "status", usageHelpAutoWidth = true,
            description = {"Whether the named items are done, checked against the database as it is now. For a "
                    + "deploy pipeline, before merging the migration that needs them.",
                    "Exit 0 when every one is done, 1 when one is not (or is not in the queue)."},
            footerHeading = "%nExamples:%n",
            footer = "  zerolock queue status -d app --require orders_created_at_idx orders_customer_fk")
    static final class Status extends Subcommand {

        @Option(names = "--require", paramLabel = "ITEM", arity = "1..*", required = true,
                description = "The items that must be done: numbers, names or qualified names.")
        List<String> required;

        @Override
        boolean readOnly() {
            return true;
        }

        @Override
        int runWithoutQueue() {
            return report(required.stream().map(name -> new Queue.Requirement(name, null, false,
                    "no such item: this database has no queue")).toList());
        }

        @Override
        int run(Queue queue) {
            return report(queue.require(required));
        }

        private int report(List<Queue.Requirement> requirements) {
            List<List<String>> rows = new ArrayList<>();
            for (Queue.Requirement requirement : requirements) {
                rows.add(List.of(requirement.name(), requirement.done() ? "done" : "NOT DONE", requirement.why()));
            }
            print(TextTable.render(List.of("ITEM", "STATUS", "WHY"), rows));
            return requirements.stream().allMatch(Queue.Requirement::done) ? 0
                    : ErrorCode.OPERATION_FAILED.exitCode();
        }
    }
}

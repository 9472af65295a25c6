package io.zerolock.check.rules;

import java.util.List;

/** Every rule, in id order. */
public final class Rules {

    /** The ids of the rules only a trace reports (io.zerolock.check.trace.TraceRules). */
    private static final List<String> TRACE_ONLY = List.of("ZL100", "ZL101", "ZL102");

    private Rules() {}

    /**
     * The README's rule table, generated from the rules themselves (a test keeps the README in step):
     * id, name, category, severity (and the first version), and what it catches.
     */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| rule | name | category | severity | what it catches |\n"
                + "|---|---|---|---|---|\n");
        for (Rule rule : all()) {
            // the anchor is where each rule's helpUri (SARIF) points
            table.append("| <a id=\"").append(rule.id().toLowerCase(java.util.Locale.ROOT)).append("\"></a>")
                    .append(rule.id()).append(" | ").append(rule.name()).append(" | ")
                    .append(rule.category().id()).append(" | ").append(rule.severity().id())
                    .append(rule.minVersion() > 11 ? " (" + rule.minVersion() + "+)" : "").append(" | ")
                    .append(rule.summary().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    /** Every rule id, static and traced. */
    public static List<String> ids() {
        List<String> ids = new java.util.ArrayList<>(all().stream().map(Rule::id).toList());
        ids.addAll(TRACE_ONLY);
        return ids;
    }

    /**
     * Rule ids given by a user (an ignore comment, --exclude, the configuration's [severity]) must name
     * rules: an unknown one is a usage error listing the known ids, not a silent no-op.
     */
    public static void requireKnown(java.util.Collection<String> given, String where) {
        List<String> known = ids();
        List<String> unknown = given.stream().map(String::trim).filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw new io.zerolock.ZerolockException(io.zerolock.ErrorCode.BAD_USAGE, where + ": unknown rule id"
                    + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + "; known: "
                    + String.join(", ", known));
        }
    }

    public static List<Rule> all() {
        return List.of(new CreateIndexNotConcurrently(), new DropIndexNotConcurrently(), new ReindexNotConcurrently(),
                new ConcurrentlyInTransaction(), new ConcurrentIfNotExists(), new VolatileDefault(), new SetNotNull(),
                new CheckWithoutNotValid(), new ForeignKeyWithoutNotValid(), new ValidateInSameTransaction(),
                new UniqueWithoutIndex(), new PrimaryKeyOnNullableColumns(), new ExclusionConstraint(),
                new ColumnTypeRewrite(), new Rename(), new DropColumnOrTable(), new DetachPartitionNotConcurrently(),
                new AttachPartitionWithoutCheck(), new TableRewrite(), new RefreshNotConcurrently(), new Trigger(),
                new NoLockTimeout(), new LockHeldAcrossStatements(), new BackfillInDdlTransaction(), new DomainCheck(),
                new AddSerialOrStoredGeneratedColumn(), new JsonColumn(), new Truncate(), new FailsOnVersion(), new WholeTableUpdate());
    }
}

package io.zerolock.cli;

import io.zerolock.IndexStatus;
import io.zerolock.Sizes;
import io.zerolock.catalog.Constraint;
import io.zerolock.catalog.ForeignKey;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.reindex.RebuildVerdict;
import io.zerolock.reindex.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the maintenance view of indexes as a text table or JSON. */
final class IndexReport {

    private IndexReport() {}

    static String table(List<IndexStatus> statuses) {
        if (statuses.isEmpty()) {
            return "(no indexes)\n";
        }
        List<String> headers = List.of("INDEX", "TABLE", "SIZE", "BLOAT", "SCANS", "STATE", "CONSTRAINT",
                "REFERENCED BY", "ONLINE REBUILD");
        List<List<String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (IndexStatus status : statuses) {
            IndexDefinition index = status.index();
            RebuildVerdict verdict = status.verdict();
            String online;
            if (verdict.online()) {
                online = verdict.strategies().stream().map(Strategy::id).collect(Collectors.joining(", "));
                if (verdict.reason() != null) {
                    online += " [" + note(notes, verdict.reason()) + "]";
                }
            } else {
                online = "no [" + note(notes, verdict.reason() + "; instead: " + verdict.alternative()) + "]";
            }
            rows.add(List.of(index.name().display(), index.table().display(), Sizes.pretty(index.sizeBytes()),
                    bloat(status, notes), status.bloat().map(b -> b.scans() == null ? "-" : b.scans().toString())
                            .orElse("-"), state(index), status.constraint().map(IndexReport::constraint).orElse("-"),
                    referencedBy(status), online));
        }
        StringBuilder text = new StringBuilder(TextTable.render(headers, rows));
        if (!notes.isEmpty()) {
            text.append('\n');
            for (int i = 0; i < notes.size(); i++) {
                text.append('[').append(i + 1).append("] ").append(notes.get(i)).append('\n');
            }
        }
        return text.toString();
    }

    /** What a rebuild gives back and its share, e.g. {@code 6008 kB (66%)}; {@code ?} with why when unknown. */
    private static String bloat(IndexStatus status, List<String> notes) {
        return status.bloat().map(b -> b.bloatBytes() == null ? "? [" + note(notes, b.note()) + "]"
                : Sizes.pretty(b.bloatBytes()) + " (" + BloatTable.ratio(b) + ")").orElse("-");
    }

    /** The number of this footnote: the same text is printed once, and every row that needs it points at it. */
    static int note(List<String> notes, String text) {
        int at = notes.indexOf(text);
        if (at < 0) {
            notes.add(text);
            at = notes.size() - 1;
        }
        return at + 1;
    }

    static String json(List<IndexStatus> statuses) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (IndexStatus status : statuses) {
            IndexDefinition index = status.index();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("schema", index.name().schema());
            item.put("index", index.name().name());
            item.put("table_schema", index.table().schema());
            item.put("table", index.table().name());
            item.put("oid", index.oid());
            item.put("size_bytes", index.sizeBytes());
            item.put("size", Sizes.pretty(index.sizeBytes()));
            item.put("valid", index.valid());
            item.put("ready", index.ready());
            item.put("access_method", index.accessMethod());
            item.put("unique", index.unique());
            item.put("partitioned", index.partitioned());
            item.put("definition", index.definition());
            item.put("constraint", status.constraint().map(c -> {
                Map<String, Object> constraint = new LinkedHashMap<>();
                constraint.put("name", c.name());
                constraint.put("type", c.type().sql());
                constraint.put("deferrable", c.deferrable());
                constraint.put("initially_deferred", c.initiallyDeferred());
                return constraint;
            }).orElse(null));
            List<Map<String, Object>> keys = new ArrayList<>();
            for (ForeignKey fk : status.referencingKeys()) {
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("name", fk.name());
                key.put("table_schema", fk.table().schema());
                key.put("table", fk.table().name());
                key.put("definition", fk.definition());
                key.put("validated", fk.validated());
                key.put("deferrable", fk.deferrable());
                key.put("partition_clone_of", fk.isInherited() ? fk.root().table().display() + "." + fk.root().name()
                        : null);
                keys.add(key);
            }
            item.put("referenced_by", keys);
            Map<String, Object> online = new LinkedHashMap<>();
            online.put("possible", status.verdict().online());
            online.put("strategies", status.verdict().strategies().stream().map(Strategy::id).toList());
            online.put("reason", status.verdict().reason());
            online.put("alternative", status.verdict().alternative());
            item.put("online_rebuild", online);
            item.put("bloat", status.bloat().map(BloatTable::entry).orElse(null));
            list.add(item);
        }
        return TextTable.json(list);
    }

    private static String state(IndexDefinition index) {
        String leftover = io.zerolock.catalog.WorkingIndexNames.isZerolocks(index.name().name())
                ? " (zerolock's working index: zerolock cleanup drops it once no run uses it)" : "";
        if (!index.ready()) {
            return "INVALID (not ready)" + leftover;
        }
        return (index.valid() ? "valid" : "INVALID") + leftover;
    }

    private static String constraint(Constraint constraint) {
        String text = constraint.type().sql() + " " + io.zerolock.catalog.Identifiers.display(constraint.name());
        if (constraint.deferrable()) {
            text += constraint.initiallyDeferred() ? " (deferrable, deferred)" : " (deferrable)";
        }
        return text;
    }

    /** Declared foreign keys by table.name; clones of keys on partitioned tables counted, not listed. */
    private static String referencedBy(IndexStatus status) {
        List<String> shown = new ArrayList<>();
        for (ForeignKey fk : status.declaredForeignKeys()) {
            long partitions = status.referencingKeys().stream()
                    .filter(k -> k.isInherited() && k.root().oid() == fk.oid()).count();
            String name = fk.table().display() + "." + io.zerolock.catalog.Identifiers.display(fk.name());
            if (!fk.validated()) {
                name += " (not valid)";
            }
            if (partitions > 0) {
                name += " (+" + partitions + " partitions)";
            }
            shown.add(name);
        }
        long orphanClones = status.referencingKeys().stream().filter(ForeignKey::isInherited)
                .filter(k -> status.declaredForeignKeys().stream().noneMatch(d -> d.oid() == k.root().oid())).count();
        if (orphanClones > 0) {
            status.referencingKeys().stream().filter(ForeignKey::isInherited)
                    .map(k -> k.root().table().display() + "." + io.zerolock.catalog.Identifiers.display(k.root().name())
                            + " (partition)")
                    .distinct().forEach(shown::add);
        }
        return shown.isEmpty() ? "-" : String.join(", ", shown);
    }
}

package io.zerolock.check.rules;

import io.zerolock.catalog.Identifiers;
import io.zerolock.check.recognize.Action;
import io.zerolock.check.recognize.Name;
import io.zerolock.check.recognize.Recognized;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills a rule's safe SQL with the statement's own names: {@code <table>}, {@code <column>},
 * {@code <name>}, {@code <index>}, {@code <view>}, {@code <partition>}, {@code <domain>}, {@code <type>},
 * {@code <expression>}, {@code <kind>} and a key list {@code (...)}. A placeholder the statement does not name is left as it is.
 */
public final class Placeholders {

    private static final java.util.regex.Pattern REFERENCES = java.util.regex.Pattern.compile(
            "(?i)\\breferences\\s+([^\\s(]+(?:\\s*\\([^)]*\\))?)");

    private Placeholders() {}

    public static String fill(String safe, Recognized recognized) {
        String filled = safe;
        for (Map.Entry<String, String> value : values(recognized).entrySet()) {
            if (value.getValue() != null) {
                filled = filled.replace(value.getKey(), value.getValue());
            }
        }
        return filled;
    }

    static Map<String, String> values(Recognized recognized) {
        Map<String, String> values = new LinkedHashMap<>();
        if (recognized instanceof Recognized.CreateIndex index) {
            values.put("<table>", sql(index.table()));
            values.put("<name>", index.index() == null ? null : sql(index.index()));
            values.put("<unique>", index.unique() ? "UNIQUE " : "");
            if (!index.columns().isEmpty()) {
                values.put("(...)", "(" + String.join(", ", index.columns().stream().map(Identifiers::display)
                        .toList()) + ")");
            }
        } else if (recognized instanceof Recognized.DropIndex drop) {
            values.put("<name>", sql(drop.indexes().get(0)));
        } else if (recognized instanceof Recognized.Reindex reindex && reindex.target() != null) {
            values.put("<name>", sql(reindex.target()));
            values.put("<kind>", reindex.kind());
            values.put("<zerolock-target>", switch (reindex.kind()) {
                case "INDEX" -> sql(reindex.target());
                case "TABLE" -> "--table " + sql(reindex.target());
                case "SCHEMA" -> "--schema " + sql(reindex.target());
                default -> null;
            });
        } else if (recognized instanceof Recognized.RefreshMaterializedView refresh) {
            values.put("<view>", sql(refresh.view()));
        } else if (recognized instanceof Recognized.DomainCheck check) {
            values.put("<domain>", sql(check.domain()));
        } else if (recognized instanceof Recognized.AlterTable alter) {
            values.put("<table>", sql(alter.table()));
            for (Action action : alter.actions()) {
                if (action instanceof Action.AddColumn add) {
                    values.putIfAbsent("<column>", Identifiers.display(add.column()));
                    values.putIfAbsent("<type>", add.type());
                    values.putIfAbsent("<expression>", add.defaultExpression());
                } else if (action instanceof Action.AlterColumnType type) {
                    values.putIfAbsent("<old>", Identifiers.display(type.column()));
                    values.putIfAbsent("<type>", type.type());
                } else if (action instanceof Action.SetNotNull set) {
                    values.putIfAbsent("<column>", Identifiers.display(set.column()));
                } else if (action instanceof Action.AddConstraint add) {
                    values.putIfAbsent("<name>", add.name() == null ? null : Identifiers.display(add.name()));
                    java.util.regex.Matcher references = REFERENCES.matcher(add.definition());
                    if (add.kind() == Action.ConstraintKind.FOREIGN_KEY && references.find()) {
                        values.putIfAbsent("<other>", references.group(1).trim());
                    }
                    if (!add.columns().isEmpty() && add.kind() != Action.ConstraintKind.NOT_NULL) {
                        values.putIfAbsent("(...)", "(" + String.join(", ", add.columns().stream()
                                .map(Identifiers::display).toList()) + ")");
                    }
                    values.putIfAbsent("<index>", add.usingIndex() == null ? null : Identifiers.display(add.usingIndex()));
                } else if (action instanceof Action.AttachPartition attach) {
                    values.putIfAbsent("<partition>", sql(attach.partition()));
                } else if (action instanceof Action.DetachPartition detach) {
                    values.putIfAbsent("<partition>", sql(detach.partition()));
                }
            }
        }
        return values;
    }

    private static String sql(Name name) {
        return name.toString();
    }
}

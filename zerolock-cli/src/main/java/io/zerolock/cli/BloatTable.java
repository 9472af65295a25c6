package io.zerolock.cli;

import io.zerolock.Sizes;
import io.zerolock.bloat.BloatEstimate;
import io.zerolock.bloat.BloatReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders bloat estimates as text tables or JSON. */
final class BloatTable {

    private BloatTable() {}

    static String text(BloatReport report) {
        List<String> notes = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        text.append("Indexes\n").append(table(report.indexes(), true, notes));
        text.append("\nTables (main fork; TOAST not included)\n").append(table(report.tables(), false, notes));
        if (!notes.isEmpty()) {
            text.append('\n');
            for (int i = 0; i < notes.size(); i++) {
                text.append('[').append(i + 1).append("] ").append(notes.get(i)).append('\n');
            }
        }
        return text.toString();
    }

    private static String table(List<BloatEstimate> estimates, boolean indexes, List<String> notes) {
        if (estimates.isEmpty()) {
            return "(none)\n";
        }
        List<String> headers = new ArrayList<>(List.of(indexes ? "INDEX" : "TABLE"));
        if (indexes) {
            headers.add("TABLE");
        }
        headers.addAll(List.of("SIZE", "AFTER REBUILD", "BLOAT", "RATIO", "METHOD", "SCANS", "LAST REBUILD"));
        List<List<String>> rows = new ArrayList<>();
        for (BloatEstimate estimate : estimates) {
            List<String> row = new ArrayList<>(List.of(estimate.name().display()));
            if (indexes) {
                row.add(estimate.table().display());
            }
            String method = estimate.method().id() + (estimate.method().weak() ? " (rough)" : "");
            if (estimate.calibration() != null) {
                method += String.format(Locale.ROOT, " x%.2f", estimate.calibration());
            }
            if (estimate.note() != null) {
                method += " [" + IndexReport.note(notes, estimate.note()) + "]";
            }
            row.addAll(List.of(Sizes.pretty(estimate.sizeBytes()),
                    estimate.sizeAfterBytes() == null ? "?" : Sizes.pretty(estimate.sizeAfterBytes()),
                    estimate.bloatBytes() == null ? "?" : Sizes.pretty(estimate.bloatBytes()), ratio(estimate),
                    method, estimate.scans() == null ? "-" : estimate.scans().toString(),
                    estimate.lastRebuild() == null ? "-" : estimate.lastRebuild().toString()));
            rows.add(row);
        }
        return TextTable.render(headers, rows);
    }

    static String ratio(BloatEstimate estimate) {
        return estimate.bloatRatio() == null ? "?"
                : String.format(Locale.ROOT, "%.0f%%", estimate.bloatRatio() * 100);
    }

    static String json(BloatReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("indexes", report.indexes().stream().map(BloatTable::entry).toList());
        root.put("tables", report.tables().stream().map(BloatTable::entry).toList());
        return TextTable.json(root);
    }

    static Map<String, Object> entry(BloatEstimate estimate) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", estimate.name().display());
        if (estimate.kind() == BloatEstimate.Kind.INDEX) {
            item.put("table", estimate.table().display());
        }
        item.put("oid", estimate.oid());
        item.put("access_method", estimate.accessMethod());
        item.put("size_bytes", estimate.sizeBytes());
        item.put("size_after_bytes", estimate.sizeAfterBytes());
        item.put("bloat_bytes", estimate.bloatBytes());
        item.put("bloat_ratio", estimate.bloatRatio() == null ? null
                : Math.round(estimate.bloatRatio() * 10000) / 10000.0);
        item.put("method", estimate.method().id());
        item.put("rough", estimate.method().weak());
        item.put("calibration", estimate.calibration());
        item.put("note", estimate.note());
        item.put("scans", estimate.scans());
        item.put("last_rebuild", estimate.lastRebuild() == null ? null : estimate.lastRebuild().toString());
        return item;
    }
}

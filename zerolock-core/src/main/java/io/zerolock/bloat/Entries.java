package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How many entries an index would have after a rebuild, and the sample that told (null when none could be
 * read).
 *
 * @param count entries; negative when unknown
 * @param tableRows the table's rows, as the count was worked out from
 */
record Entries(double count, double tableRows, EntrySample sample, List<String> notes) {

    Entries {
        notes = List.copyOf(notes);
    }

    /** Entries counted from a sample of the table's rows (widths too), or from the catalog when none can be read. */
    static Entries sampled(CatalogReader catalog, IndexStorage index) {
        return of(catalog, index, true);
    }

    /** Only the table's rows, from the catalog. */
    static Entries counted(IndexStorage index) {
        return of(null, index, false);
    }

    private static Entries of(CatalogReader catalog, IndexStorage index, boolean sampled) {
        List<String> notes = new ArrayList<>();
        // PostgreSQL 14+ says -1 for never counted; older ones 0 pages and 0 rows
        boolean counted = index.tableRows() > 0 || index.tableRows() == 0 && index.tablePages() > 0
                || index.tableRows() == 0 && index.tableSizeBytes() == 0;
        double tableRows = counted ? index.tableRows() : -1;
        double expected = counted ? tableRows : index.tableSizeBytes() / (double) BtreeModel.BLOCK * 100;
        EntrySample sample = null;
        if (sampled) {
            try {
                sample = EntrySample.take(catalog, index, expected);
            } catch (SQLException e) {
                notes.add("no sample of its rows (" + firstLine(e.getMessage()) + "): widths from pg_stats");
            }
        }
        if (!counted) {
            if (sample == null || sample.percent() <= 0) {
                notes.add("the table was never analyzed (ANALYZE it)");
                return new Entries(-1, -1, null, notes);
            }
            tableRows = sample.sampledRows() / (sample.percent() / 100);
            notes.add("the table was never analyzed: its rows estimated from a sample");
        }
        double count;
        if (sample != null && sample.sampledRows() > 0) {
            count = tableRows * sample.entries() / sample.sampledRows();
        } else if (index.predicate() == null) {
            count = tableRows;
        } else {
            count = Math.max(0, index.indexRows());
        }
        return new Entries(count, tableRows, sample, notes);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package io.zerolock.bloat;

import io.zerolock.catalog.QualifiedName;
import java.util.Locale;

/**
 * A read of about so many rows of a table: {@code TABLESAMPLE SYSTEM} (random pages, repeatable) sized from
 * the rows the table is expected to hold, or all of it when it holds fewer.
 *
 * @param percent the share of the table's pages read, in percent (100: all of them)
 */
record TableSample(double percent) {

    static TableSample of(double expectedRows, int targetRows) {
        return new TableSample(expectedRows <= targetRows ? 100 : Math.max(0.0001, 100.0 * targetRows / expectedRows));
    }

    boolean whole() {
        return percent >= 100;
    }

    /** {@code FROM ONLY table}, sampled: the table's own rows (not its inheritance children's). */
    String from(QualifiedName table) {
        return " FROM ONLY " + table.sql() + (whole() ? ""
                : " TABLESAMPLE SYSTEM (" + String.format(Locale.ROOT, "%.6f", percent) + ") REPEATABLE (7)");
    }
}

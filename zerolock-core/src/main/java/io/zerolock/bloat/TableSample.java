package io.zerolock.bloat;

import io.zerolock.catalog.QualifiedName;
import java.util.Locale;

/**
 * A read of about so many rows of a table: {@code TABLESAMPLE SYSTEM} (random pages, repeatable) sized from
 * the rows the table is expected to hold, or all of it when it holds fewer; or {@code BERNOULLI} (random rows
 * from every page: a read of the whole table) where a sample of pages is not a sample of the rows.
 *
 * @param percent the share of the table's pages (or rows) read, in percent (100: all of them)
 * @param rowLevel {@code BERNOULLI} instead of {@code SYSTEM}
 */
record TableSample(double percent, boolean rowLevel) {

    static TableSample of(double expectedRows, int targetRows) {
        return new TableSample(expectedRows <= targetRows ? 100 : Math.max(0.0001, 100.0 * targetRows / expectedRows),
                false);
    }

    /** The same share of rows, taken from every page. */
    TableSample sampledByRow() {
        return new TableSample(percent, true);
    }

    boolean whole() {
        return percent >= 100;
    }

    /** {@code FROM ONLY table}, sampled: the table's own rows (not its inheritance children's). */
    String from(QualifiedName table) {
        return " FROM ONLY " + table.sql() + (whole() ? ""
                : " TABLESAMPLE " + (rowLevel ? "BERNOULLI" : "SYSTEM") + " (" + String.format(Locale.ROOT, "%.6f",
                        percent) + ") REPEATABLE (7)");
    }
}

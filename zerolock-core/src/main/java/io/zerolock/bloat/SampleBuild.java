package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The size of a GIN, GiST or SP-GiST index after a rebuild, found by building it: the same definition over
 * a sample of the table's rows copied into a temporary table, in a transaction that is always rolled back,
 * then scaled up to the whole table. GiST and SP-GiST grow in proportion to their rows. GIN grows slower
 * (a key seen again adds a few bytes to its posting list, not a tuple; half-full entry pages fill up), so
 * for GIN a second build over the physically first half of the sample gives the exponent to scale by.
 */
final class SampleBuild {

    private static final int TARGET_ROWS = 50_000;
    /**
     * SP-GiST grows out of proportion to its rows (a point quad-tree needs more inner levels per row as it
     * fills, a text radix tree fewer), so its sample is built bigger: less to extrapolate.
     */
    private static final int SPGIST_TARGET_ROWS = 250_000;

    private static int targetRows(String accessMethod) {
        return accessMethod.equals("spgist") ? SPGIST_TARGET_ROWS : TARGET_ROWS;
    }
    /** GIN sizes seen growing slower than this were a transition in the sample, not a trend. */
    private static final double MIN_EXPONENT = 0.6;
    private static final String SAMPLE = "pg_temp.zerolock_bloat_sample";

    private SampleBuild() {}

    /** Pages every index of the method has whatever its size: metapage, root, SP-GiST's null root. */
    private static int fixedPages(String accessMethod) {
        return switch (accessMethod) {
            case "gin" -> 2;
            case "spgist" -> 3;
            default -> 1;
        };
    }

    record Built(long rows, long bytes, long halfRows, long halfBytes, boolean wholeTable) {}

    static Sized estimate(CatalogReader catalog, IndexStorage index, Entries entries) {
        List<String> notes = new ArrayList<>(entries.notes());
        if (entries.tableRows() < 0) {
            return Sized.none(notes);
        }
        double expected = Math.max(1, entries.tableRows());
        TableSample sample = TableSample.of(expected, targetRows(index.accessMethod()));
        Built built;
        try {
            built = catalog.rolledBack(sql -> build(sql, index, sample));
        } catch (SQLException e) {
            notes.add("cannot build it over a sample (" + Entries.firstLine(e.getMessage()) + ")");
            return Sized.none(notes);
        }
        if (built == null) {
            notes.add("its definition could not be rebuilt over a sample");
            return Sized.none(notes);
        }
        if (built.wholeTable()) {
            notes.add("built over all " + built.rows() + " rows");
            return new Sized(built.bytes(), EstimateMethod.SAMPLE_BUILD, notes);
        }
        if (built.rows() == 0) {
            notes.add("the sample had no rows");
            return Sized.none(notes);
        }
        long fixed = (long) fixedPages(index.accessMethod()) * BtreeModel.BLOCK;
        double scale = entries.tableRows() / built.rows();
        double exponent = 1;
        if (built.halfRows() > 0 && built.halfBytes() > fixed && built.bytes() > built.halfBytes()) {
            exponent = Math.log((double) (built.bytes() - fixed) / (built.halfBytes() - fixed))
                    / Math.log((double) built.rows() / built.halfRows());
            exponent = Math.max(MIN_EXPONENT, Math.min(1, exponent));
        }
        double bytes = fixed + Math.max(0, built.bytes() - fixed) * Math.pow(scale, exponent);
        notes.add(String.format(Locale.ROOT, "built over a sample of %d rows, scaled up %.1f times%s", built.rows(),
                scale, exponent < 1 ? String.format(Locale.ROOT, " as rows^%.2f", exponent) : ""));
        long pages = (long) Math.ceil(bytes / BtreeModel.BLOCK);
        return Sized.of(pages, EstimateMethod.SAMPLE_BUILD, notes);
    }

    private static Built build(Statement sql, IndexStorage index, TableSample sample) throws SQLException {
        sql.execute("SET LOCAL statement_timeout = '60s'");
        sql.execute("SET LOCAL search_path = pg_catalog");
        java.util.Optional<io.zerolock.catalog.IndexShape> shape = io.zerolock.catalog.IndexShape.read(
                sql.getConnection(), index.oid());
        if (shape.isEmpty()) {
            return null;
        }
        String method = shape.get().body().substring("USING ".length());
        sql.execute("CREATE TEMP TABLE zerolock_bloat_sample (LIKE " + index.table().sql() + ")");
        long rows = sql.executeUpdate("INSERT INTO " + SAMPLE + " SELECT *" + sample.from(index.table()) + " LIMIT "
                + 2 * targetRows(index.accessMethod()));
        sql.execute("CREATE INDEX zerolock_bloat_sample_index ON " + SAMPLE + " USING " + method);
        long bytes = size(sql, "pg_temp.zerolock_bloat_sample_index");
        boolean wholeTable = sample.whole() && rows < 2 * targetRows(index.accessMethod());
        long halfRows = 0;
        long halfBytes = 0;
        if (index.accessMethod().equals("gin") && !wholeTable && rows >= 1000) {
            // the physically first half, not every other row: as dense as the whole, so the two builds
            // differ only in how many rows (and so keys) they hold
            sql.execute("CREATE TEMP TABLE zerolock_bloat_half (LIKE " + SAMPLE + ")");
            halfRows = sql.executeUpdate("INSERT INTO pg_temp.zerolock_bloat_half SELECT * FROM " + SAMPLE
                    + " ORDER BY ctid LIMIT " + rows / 2);
            sql.execute("CREATE INDEX zerolock_bloat_half_index ON pg_temp.zerolock_bloat_half USING " + method);
            halfBytes = size(sql, "pg_temp.zerolock_bloat_half_index");
        }
        return new Built(rows, bytes, halfRows, halfBytes, wholeTable);
    }

    private static long size(Statement sql, String index) throws SQLException {
        try (ResultSet rows = sql.executeQuery("SELECT pg_relation_size('" + index + "'::regclass)")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

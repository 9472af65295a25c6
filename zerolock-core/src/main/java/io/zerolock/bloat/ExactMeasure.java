package io.zerolock.bloat;

import io.zerolock.Sizes;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.Identifiers;
import io.zerolock.catalog.TableStorage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes after a rebuild from what pgstattuple measures by reading every page: pgstatindex's leaf density
 * for a btree, pgstattuple's live tuples for a table or hash index. Other access methods it cannot read (or
 * cannot say what a rebuild gives back of), and those keep their estimate, with a note.
 */
final class ExactMeasure {

    private static final Logger log = LoggerFactory.getLogger(ExactMeasure.class);

    private final CatalogReader catalog;
    private final String extensionSchema;

    private ExactMeasure(CatalogReader catalog, String extensionSchema) {
        this.catalog = catalog;
        this.extensionSchema = extensionSchema;
    }

    /** pgstattuple in this database, if installed. */
    static Optional<ExactMeasure> in(CatalogReader catalog) {
        try (PreparedStatement statement = catalog.connection().prepareStatement("SELECT n.nspname FROM pg_extension e "
                + "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pgstattuple'");
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(new ExactMeasure(catalog, Identifiers.quote(rows.getString(1))))
                    : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    static boolean reads(String accessMethod) {
        return accessMethod.equals("btree") || accessMethod.equals("hash");
    }

    Sized index(IndexStorage index, Entries entries, int position, int of) {
        announce(index.name().display(), index.sizeBytes(), position, of);
        List<String> notes = new ArrayList<>();
        try {
            if (index.accessMethod().equals("btree")) {
                return measure("SELECT leaf_pages, internal_pages, avg_leaf_density FROM " + extensionSchema
                        + ".pgstatindex(?::oid::regclass)", index.oid(), rows -> {
                            long leaves = rows.getLong(1);
                            long internal = rows.getLong(2);
                            double density = rows.getDouble(3);
                            if (leaves == 0 || Double.isNaN(density)) {
                                return Sized.of(Math.max(1, index.sizeBytes() / BtreeModel.BLOCK),
                                        EstimateMethod.PGSTATINDEX, notes);
                            }
                            int fillfactor = Sized.fillfactor(index.storageParameter("fillfactor"), 90);
                            long leavesAfter = Math.max(1, (long) Math.ceil(leaves * density / fillfactor));
                            long upperAfter = (long) Math.ceil((double) internal * leavesAfter / leaves);
                            notes.add("duplicates a rebuild would merge are not counted");
                            return Sized.of(1 + leavesAfter + upperAfter, EstimateMethod.PGSTATINDEX, notes);
                        });
            }
            return measure("SELECT tuple_count FROM " + extensionSchema + ".pgstattuple(?::oid::regclass)",
                    index.oid(), rows -> {
                        long count = rows.getLong(1);
                        List<Double> frequent = new ArrayList<>();
                        index.columns().get(0).statistics().ifPresent(
                                s -> s.commonFrequencies().forEach(f -> frequent.add(f * count)));
                        return Sized.of(HashModel.pages(Math.max(entries.tableRows(), count), count,
                                Sized.fillfactor(index.storageParameter("fillfactor"), 75), frequent),
                                EstimateMethod.PGSTATTUPLE, notes);
                    });
        } catch (SQLException e) {
            return null;
        }
    }

    Sized table(TableStorage table, int position, int of) {
        announce(table.name().display(), table.sizeBytes(), position, of);
        try {
            return measure("SELECT tuple_count, tuple_len FROM " + extensionSchema + ".pgstattuple(?::oid::regclass)",
                    table.oid(), rows -> {
                        long count = rows.getLong(1);
                        double tuple = count == 0 ? 0 : (double) rows.getLong(2) / count + 3.5;
                        return Sized.of(HeapModel.pages(count, tuple,
                                Sized.fillfactor(table.storageParameter("fillfactor"), 100)),
                                EstimateMethod.PGSTATTUPLE, List.of());
                    });
        } catch (SQLException e) {
            return null;
        }
    }

    private static void announce(String name, long size, int position, int of) {
        log.atInfo().setMessage("reading every page with pgstattuple").addKeyValue("relation", name)
                .addKeyValue("size", Sizes.pretty(size)).addKeyValue("relation_number", position)
                .addKeyValue("relations", of).log();
    }

    @FunctionalInterface
    private interface Reading {
        Sized read(ResultSet rows) throws SQLException;
    }

    /** One pgstattuple read, read-only, under the catalog's lock_timeout (it never queues behind a lock request). */
    private Sized measure(String sql, long oid, Reading reading) throws SQLException {
        try {
            return catalog.rolledBack(statement -> {
                statement.execute("SET TRANSACTION READ ONLY");
                try (PreparedStatement read = catalog.connection().prepareStatement(sql)) {
                    read.setLong(1, oid);
                    try (ResultSet rows = read.executeQuery()) {
                        rows.next();
                        return reading.read(rows);
                    }
                }
            });
        } catch (SQLException e) {
            log.atWarn().setMessage("pgstattuple could not read it: the estimate is shown instead")
                    .addKeyValue("reason", Entries.firstLine(e.getMessage())).log();
            throw e;
        }
    }
}

package io.zerolock.bloat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StorageReader;
import io.zerolock.catalog.TableStorage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Estimates what rebuilding each index (and rewriting each table) would give back, by the method that
 * suits its access method, corrected by what earlier rebuilds of the same index taught. Reads only: the
 * samples it takes run in read-only or rolled-back transactions under lock and statement timeouts.
 */
public final class BloatEstimator {

    private final CatalogReader catalog;
    private final String stateSchema;

    /** @param stateSchema the schema of zerolock's history (exact name), or null for none */
    public BloatEstimator(CatalogReader catalog, String stateSchema) {
        this.catalog = catalog;
        this.stateSchema = stateSchema;
    }

    public BloatReport estimate(BloatRequest request) {
        StorageReader storage = new StorageReader(catalog);
        List<Long> tableOids = storage.tableOids(request.schema(), request.tableOid());
        Map<String, RebuildHistory.Rebuild> history = RebuildHistory.lastRebuilds(catalog, stateSchema);
        Optional<ExactMeasure> exact = request.exact() ? ExactMeasure.in(catalog) : Optional.empty();
        List<IndexStorage> indexes = storage.indexes(storage.indexOidsOf(tableOids)).stream()
                .filter(i -> i.sizeBytes() >= request.minSizeBytes()).toList();
        List<TableStorage> tables = storage.tables(tableOids).stream()
                .filter(t -> t.sizeBytes() >= request.minSizeBytes()).toList();
        int relations = indexes.size() + tables.size();
        int position = 0;
        List<BloatEstimate> indexEstimates = new ArrayList<>();
        for (IndexStorage index : indexes) {
            position++;
            Sized sized = estimate(index);
            if (request.exact()) {
                sized = measured(sized, exact, index, position, relations);
            }
            indexEstimates.add(calibrated(of(index, sized), sized, history.get(index.name().display())));
        }
        List<BloatEstimate> tableEstimates = new ArrayList<>();
        for (TableStorage table : tables) {
            position++;
            Sized sized = estimate(table);
            if (request.exact()) {
                Sized measured = exact.map(e -> e.table(table, 0, 0)).orElse(null);
                sized = measured != null ? measured : withNote(sized, exact.isEmpty() ? NOT_INSTALLED
                        : "pgstattuple could not read it: estimated");
            }
            tableEstimates.add(new BloatEstimate(BloatEstimate.Kind.TABLE, table.oid(), table.name(), table.name(),
                    "heap", table.sizeBytes(), sized.bytes(), sized.method(), sized.note(), table.scans(), null, null));
        }
        return new BloatReport(biggestFirst(indexEstimates), biggestFirst(tableEstimates));
    }

    /** The estimate for one index (no pgstattuple), corrected by its history; empty for a partitioned index. */
    public Optional<BloatEstimate> index(long oid) {
        List<IndexStorage> found = new StorageReader(catalog).indexes(List.of(oid));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        IndexStorage index = found.get(0);
        Sized sized = estimate(index);
        return Optional.of(calibrated(of(index, sized), sized,
                RebuildHistory.lastRebuilds(catalog, stateSchema).get(index.name().display())));
    }

    /** The estimate for one index as the method makes it, before any correction from history. */
    public Optional<BloatEstimate> uncalibrated(long oid) {
        return new StorageReader(catalog).indexes(List.of(oid)).stream().findFirst().map(i -> of(i, estimate(i)));
    }

    private static final String NOT_INSTALLED = "--exact: pgstattuple is not installed in this database "
            + "(CREATE EXTENSION pgstattuple): estimated";

    private Sized estimate(IndexStorage index) {
        int major = catalog.server().major();
        return switch (index.accessMethod()) {
            case "btree" -> BtreeEstimate.estimate(index, Entries.sampled(catalog, index), major);
            case "hash" -> HashModel.estimate(index, Entries.sampled(catalog, index));
            case "brin" -> BrinModel.estimate(index);
            case "gin", "gist", "spgist" -> SampleBuild.estimate(catalog, index, Entries.counted(index));
            default -> Sized.none(List.of("no estimate for access method " + index.accessMethod()));
        };
    }

    private Sized measured(Sized estimated, Optional<ExactMeasure> exact, IndexStorage index, int position,
            int relations) {
        if (exact.isEmpty()) {
            return withNote(estimated, NOT_INSTALLED);
        }
        if (!ExactMeasure.reads(index.accessMethod())) {
            return withNote(estimated, "--exact: pgstattuple cannot tell what a rebuild of a " + index.accessMethod()
                    + " index gives back: estimated");
        }
        Sized measured = exact.get().index(index, Entries.counted(index), position, relations);
        return measured != null ? measured : withNote(estimated, "pgstattuple could not read it: estimated");
    }

    private static Sized withNote(Sized sized, String note) {
        List<String> notes = new ArrayList<>(sized.notes());
        notes.add(note);
        return new Sized(sized.bytes(), sized.method(), notes);
    }

    private static Sized estimate(TableStorage table) {
        boolean counted = table.rows() > 0 || table.rows() == 0 && (table.pages() > 0 || table.sizeBytes() == 0);
        if (!counted) {
            return Sized.none(List.of("the table was never analyzed (ANALYZE it)"));
        }
        Optional<Double> tuple = StatisticsWidths.heapTuple(table.columns());
        if (tuple.isEmpty()) {
            return Sized.none(List.of("no pg_stats for some of its columns (ANALYZE the table, or let this role read "
                    + "it)"));
        }
        return Sized.of(HeapModel.pages(table.rows(), tuple.get(), Sized.fillfactor(table.storageParameter(
                "fillfactor"), 100)), EstimateMethod.HEAP_MODEL, List.of());
    }

    private static BloatEstimate of(IndexStorage index, Sized sized) {
        return new BloatEstimate(BloatEstimate.Kind.INDEX, index.oid(), index.name(), index.table(),
                index.accessMethod(), index.sizeBytes(), sized.bytes(), sized.method(), sized.note(), index.scans(),
                null, null);
    }

    private static BloatEstimate calibrated(BloatEstimate estimate, Sized sized, RebuildHistory.Rebuild rebuild) {
        if (rebuild == null) {
            return estimate;
        }
        Double factor = sized.bytes() == null || sized.method() == EstimateMethod.PGSTATINDEX
                || sized.method() == EstimateMethod.PGSTATTUPLE ? null : rebuild.factorFor(sized.method());
        Long after = factor == null ? sized.bytes() : Long.valueOf(Math.round(sized.bytes() * factor));
        return estimate.withHistory(rebuild.at(), factor, after);
    }

    private static List<BloatEstimate> biggestFirst(List<BloatEstimate> estimates) {
        return estimates.stream().sorted(Comparator.comparing((BloatEstimate e) -> e.bloatBytes() == null ? -1
                : e.bloatBytes()).reversed().thenComparing(Comparator.comparingLong(BloatEstimate::sizeBytes)
                        .reversed())).toList();
    }
}

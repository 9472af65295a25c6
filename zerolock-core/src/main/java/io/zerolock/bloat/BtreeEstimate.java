package io.zerolock.bloat;

import io.zerolock.catalog.ColumnStatistics;
import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StoredColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A btree's size after a rebuild: {@link BtreeModel} fed with sampled entry sizes and pg_stats' duplicates. */
final class BtreeEstimate {

    private BtreeEstimate() {}

    /** Whether a build of this index merges duplicates into posting lists (btree deduplication, 13+). */
    static boolean deduplicates(IndexStorage index, int major) {
        String setting = index.storageParameter("deduplicate_items");
        boolean off = setting != null && List.of("off", "false", "0", "no").contains(setting.toLowerCase());
        return major >= 13 && !index.unique() && !index.hasIncludeColumns() && !off
                && index.keyColumns().stream().allMatch(StoredColumn::equalImage);
    }

    static Sized estimate(IndexStorage index, Entries entries, int major) {
        List<String> notes = new ArrayList<>(entries.notes());
        int fillfactor = Sized.fillfactor(index.storageParameter("fillfactor"), 90);
        double leafTuple;
        double pivotTuple;
        if (entries.sample() != null && entries.sample().entries() > 0) {
            leafTuple = entries.sample().leafTuple();
            pivotTuple = entries.sample().keyTuple();
        } else {
            Optional<Double> leaf = StatisticsWidths.indexTuple(index.columns(), false);
            Optional<Double> pivot = StatisticsWidths.indexTuple(index.columns(), true);
            if (leaf.isEmpty() || pivot.isEmpty()) {
                if (entries.count() == 0) {
                    return Sized.of(BtreeModel.pages(new BtreeModel.Shape(0, 16, 16, List.of(), fillfactor)),
                            EstimateMethod.BTREE_MODEL, notes);
                }
                notes.add("no sample and no pg_stats for its columns (ANALYZE the table, or let this role read it)");
                return Sized.none(notes);
            }
            leafTuple = leaf.get();
            pivotTuple = pivot.get();
        }
        List<BtreeModel.Group> groups = List.of();
        if (deduplicates(index, major)) {
            Optional<List<BtreeModel.Group>> found = groups(index, entries, leafTuple);
            if (found.isEmpty()) {
                notes.add("duplicates not counted: no pg_stats for its key columns (ANALYZE the table)");
            } else {
                groups = found.get();
            }
        }
        long pages = BtreeModel.pages(new BtreeModel.Shape(entries.count(), leafTuple, pivotTuple, groups,
                fillfactor));
        return Sized.of(pages, EstimateMethod.BTREE_MODEL, notes);
    }

    /**
     * How the entries fall into groups of equal keys: for one key column from pg_stats (its frequent values,
     * NULLs, the rest), for several from the distinct combinations in the sample (or, without one, pg_stats'
     * distinct counts taken as independent).
     */
    static Optional<List<BtreeModel.Group>> groups(IndexStorage index, Entries found, double averageTuple) {
        List<StoredColumn> keys = index.keyColumns();
        double entries = found.count();
        EntrySample sample = found.sample();
        if (entries <= 0) {
            return Optional.empty();
        }
        if (keys.size() > 1 && sample != null && sample.distinctKeys() != null && sample.entries() > 0) {
            double distinct = Math.max(1, sample.distinctKeys().among(entries));
            return Optional.of(List.of(new BtreeModel.Group(distinct, entries / distinct, averageTuple)));
        }
        if (keys.stream().anyMatch(k -> k.statistics().isEmpty())) {
            return Optional.empty();
        }
        double rows = Math.max(found.tableRows(), entries);
        if (keys.size() == 1) {
            double valueTuple = sample != null && sample.nonNullLeafTuple() > 0 ? sample.nonNullLeafTuple()
                    : averageTuple;
            double nullTuple = sample != null && sample.nullLeafTuple() > 0 ? sample.nullLeafTuple() : averageTuple;
            ColumnStatistics statistics = keys.get(0).statistics().get();
            List<BtreeModel.Group> groups = new ArrayList<>();
            double common = 0;
            for (double frequency : statistics.commonFrequencies()) {
                groups.add(new BtreeModel.Group(1, Math.max(1, frequency * entries), valueTuple));
                common += frequency;
            }
            double nulls = statistics.nullFraction() * entries;
            if (nulls >= 1) {
                groups.add(new BtreeModel.Group(1, nulls, nullTuple));
            }
            double restRows = entries * Math.max(0, 1 - statistics.nullFraction() - common);
            if (restRows >= 1) {
                double distinct = statistics.distinctAmong(rows) - statistics.commonFrequencies().size();
                distinct = Math.max(1, Math.min(restRows, distinct));
                groups.add(new BtreeModel.Group(distinct, restRows / distinct, valueTuple));
            }
            return Optional.of(groups);
        }
        double distinct = 1;
        for (StoredColumn key : keys) {
            distinct *= Math.max(1, key.statistics().get().distinctAmong(rows));
        }
        distinct = Math.min(entries, distinct);
        return Optional.of(List.of(new BtreeModel.Group(distinct, entries / distinct, averageTuple)));
    }
}

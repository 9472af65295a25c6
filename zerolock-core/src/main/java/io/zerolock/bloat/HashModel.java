package io.zerolock.bloat;

import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StoredColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * The size of a hash index right after a build: the bucket count _hash_init picks from the table's
 * estimated rows and the fillfactor, a metapage and a bitmap page, and overflow pages where a bucket holds
 * more entries than a page (frequent values all hash to one bucket).
 */
final class HashModel {

    private static final int BLOCK = BtreeModel.BLOCK;
    /** A hash index tuple: header, the 4-byte hash code (MAXALIGNed), and its line pointer. */
    private static final int ITEM = 8 + 8 + 4;
    private static final int PER_PAGE = (BLOCK - 24 - 16) / ITEM;

    private HashModel() {}

    static Sized estimate(IndexStorage index, Entries entries) {
        List<String> notes = new ArrayList<>(entries.notes());
        if (entries.count() < 0) {
            return Sized.none(notes);
        }
        List<Double> frequent = new ArrayList<>();
        StoredColumn key = index.columns().get(0);
        key.statistics().ifPresentOrElse(
                statistics -> statistics.commonFrequencies().forEach(f -> frequent.add(f * entries.count())),
                () -> notes.add("frequent values not counted: no pg_stats for its column (ANALYZE the table)"));
        return Sized.of(pages(entries.tableRows(), entries.count(), Sized.fillfactor(index.storageParameter(
                "fillfactor"), 75), frequent), EstimateMethod.HASH_MODEL, notes);
    }

    /**
     * @param tableRows the rows the build expects (it sizes buckets from the table, not the index)
     * @param entries index entries
     * @param frequentValueEntries entries of each frequent value
     */
    static long pages(double tableRows, double entries, int fillfactor, List<Double> frequentValueEntries) {
        long buckets = buckets(tableRows, fillfactor);
        double perBucket = entries / buckets;
        long overflow = buckets * Math.max(0, (long) Math.ceil(perBucket / PER_PAGE) - 1);
        for (double frequent : frequentValueEntries) {
            long needed = (long) Math.ceil((frequent + perBucket) / PER_PAGE);
            overflow += Math.max(0, needed - Math.max(1, (long) Math.ceil(perBucket / PER_PAGE)));
        }
        long bitmapPages = 1 + overflow / (BLOCK * 8L / 2);
        return 1 + buckets + bitmapPages + overflow;
    }

    /** _hash_init: the bucket count for {@code rows}, in the split-point steps hash indexes grow by. */
    static long buckets(double rows, int fillfactor) {
        long ffactor = Math.max(10, (long) BLOCK * fillfactor / 100 / ITEM);
        double wanted = rows / ffactor;
        if (wanted <= 2.0) {
            return 2;
        }
        if (wanted >= 0x40000000) {
            return 0x40000000;
        }
        return totalBuckets(spareIndex((long) wanted));
    }

    private static int log2(long n) {
        int bits = 0;
        for (long limit = 1; limit < n; limit <<= 1) {
            bits++;
        }
        return bits;
    }

    private static final int ONE_PHASE_GROUPS = 10;
    private static final int PHASE_BITS = 2;

    private static int spareIndex(long buckets) {
        int group = log2(buckets);
        if (group < ONE_PHASE_GROUPS) {
            return group;
        }
        int phases = ONE_PHASE_GROUPS + ((group - ONE_PHASE_GROUPS) << PHASE_BITS);
        phases += (int) (((buckets - 1) >> (group - (PHASE_BITS + 1))) & ((1 << PHASE_BITS) - 1));
        return phases;
    }

    private static long totalBuckets(int phase) {
        if (phase < ONE_PHASE_GROUPS) {
            return 1L << phase;
        }
        int group = ONE_PHASE_GROUPS + ((phase - ONE_PHASE_GROUPS) >> PHASE_BITS);
        long total = 1L << (group - 1);
        int within = ((phase - ONE_PHASE_GROUPS) & ((1 << PHASE_BITS) - 1)) + 1;
        return total + ((1L << (group - 1)) >> PHASE_BITS) * within;
    }
}

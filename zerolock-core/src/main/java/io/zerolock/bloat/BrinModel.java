package io.zerolock.bloat;

import io.zerolock.catalog.IndexStorage;
import io.zerolock.catalog.StoredColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * The size of a BRIN index right after a build: a metapage, the range map (a heap TID per range), and one
 * summary tuple per range of heap pages.
 */
final class BrinModel {

    private static final int BLOCK = BtreeModel.BLOCK;
    private static final int RANGES_PER_REVMAP_PAGE = (BLOCK - 24 - 8) / 6;
    private static final int REGULAR_ROOM = BLOCK - 24 - 8;

    private BrinModel() {}

    static Sized estimate(IndexStorage index) {
        List<String> notes = new ArrayList<>();
        int pagesPerRange = 128;
        String setting = index.storageParameter("pages_per_range");
        if (setting != null) {
            try {
                pagesPerRange = Math.max(1, Integer.parseInt(setting.trim()));
            } catch (NumberFormatException e) {
                notes.add("pages_per_range " + setting + " not understood: 128 assumed");
            }
        }
        double offset = 8; // BrinTuple header, MAXALIGNed
        for (StoredColumn column : index.columns()) {
            String opclass = column.operatorClass() == null ? "" : column.operatorClass();
            if (!opclass.endsWith("_minmax_ops") || opclass.contains("multi")) {
                notes.add("summaries of " + opclass + " vary in size: sized as min/max pairs");
            }
            double width = column.layout().typlen() > 0 ? column.layout().typlen()
                    : column.statistics().map(s -> s.averageWidth()).orElse(16.0);
            for (int value = 0; value < 2; value++) {
                offset = TupleLayout.place(offset, column.layout(), width, false);
            }
        }
        long heapPages = index.tableSizeBytes() / BLOCK;
        return Sized.of(pages(heapPages, pagesPerRange, TupleLayout.align(offset, 8)), EstimateMethod.BRIN_MODEL,
                notes);
    }

    /**
     * @param heapPages the table's pages
     * @param pagesPerRange {@code pages_per_range} (default 128)
     * @param summaryTuple bytes of one range's summary tuple, MAXALIGNed
     */
    static long pages(long heapPages, int pagesPerRange, double summaryTuple) {
        long ranges = (heapPages + pagesPerRange - 1) / pagesPerRange;
        long revmap = Math.max(1, (ranges + RANGES_PER_REVMAP_PAGE - 1) / RANGES_PER_REVMAP_PAGE);
        long regular = ranges == 0 ? 0 : Math.max(1, (long) Math.ceil(ranges * (summaryTuple + 4) / REGULAR_ROOM));
        return 1 + revmap + regular;
    }
}

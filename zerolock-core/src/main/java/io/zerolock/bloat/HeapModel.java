package io.zerolock.bloat;

/** The main fork of a table right after a rewrite (VACUUM FULL, CLUSTER, pg_repack): rows packed to the fillfactor. */
final class HeapModel {

    private static final int BLOCK = BtreeModel.BLOCK;
    private static final int MAX_TUPLES_PER_PAGE = 291;

    private HeapModel() {}

    /** @param tuple average tuple size with its header, MAXALIGNed, without the line pointer */
    static long pages(double rows, double tuple, int fillfactor) {
        if (rows <= 0) {
            return 0;
        }
        double room = BLOCK - 24 - BLOCK * (100 - fillfactor) / 100.0;
        double perPage = Math.min(MAX_TUPLES_PER_PAGE, Math.max(1, Math.floor(room / (tuple + 4))));
        return (long) Math.ceil(rows / perPage);
    }
}

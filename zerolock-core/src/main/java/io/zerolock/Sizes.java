package io.zerolock;

/** Byte counts as {@code pg_size_pretty} shows them, so zerolock's numbers match psql's. */
public final class Sizes {

    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB"};
    private static final long LIMIT = 10 * 1024;
    private static final long LIMIT2 = LIMIT * 2 - 1;

    private Sizes() {}

    public static String pretty(long bytes) {
        if (Math.abs(bytes) < LIMIT) {
            return bytes + " bytes";
        }
        // keep one extra bit for rounding, as PostgreSQL does
        long size = bytes >> 9;
        for (int unit = 0; ; unit++) {
            if (Math.abs(size) < LIMIT2 || unit == UNITS.length - 1) {
                return halfRounded(size) + " " + UNITS[unit];
            }
            size >>= 10;
        }
    }

    private static long halfRounded(long size) {
        return (size + (size < 0 ? -1 : 1)) / 2;
    }
}

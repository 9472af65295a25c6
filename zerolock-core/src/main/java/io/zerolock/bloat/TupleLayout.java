package io.zerolock.bloat;

import io.zerolock.catalog.TypeLayout;

/**
 * How PostgreSQL lays a value out inside a tuple (heap_fill_tuple, which index tuples use too): fixed-size
 * values aligned to their type, variable-size ones given a one-byte header and no alignment when short.
 */
final class TupleLayout {

    private TupleLayout() {}

    /** The byte alignment of {@code pg_type.typalign}. */
    static int alignment(char typalign) {
        return switch (typalign) {
            case 'd' -> 8;
            case 'i' -> 4;
            case 's' -> 2;
            default -> 1;
        };
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    static double align(double offset, int alignment) {
        return Math.ceil(offset / alignment) * alignment;
    }

    /**
     * The offset after one value placed at {@code offset}.
     *
     * @param size {@code pg_column_size} of the value, or its average width
     * @param computed the value was computed (an expression), so it has a four-byte header in memory that the
     *        tuple will shorten; a stored column's value is already in its on-disk form
     */
    static double place(double offset, TypeLayout type, double size, boolean computed) {
        if (type.typlen() > 0) {
            return align(offset, alignment(type.typalign())) + type.typlen();
        }
        if (type.typlen() == -2) {
            return offset + size; // cstring: no alignment
        }
        double stored = size;
        boolean shortHeader;
        if (computed) {
            shortHeader = type.packable() && size - 4 + 1 <= 127;
            if (shortHeader) {
                stored = size - 3;
            }
        } else {
            shortHeader = type.packable() && size <= 127;
        }
        return shortHeader ? offset + stored : align(offset, alignment(type.typalign())) + stored;
    }
}

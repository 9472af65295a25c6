package io.zerolock.bloat;

import java.util.List;

/**
 * The size of a btree right after a sorted build ({@code CREATE INDEX}, {@code REINDEX}), worked out the way
 * nbtsort.c lays out pages: leaf pages filled to the fillfactor, duplicates merged into posting lists of at
 * most a tenth of a page (13+, when the index can deduplicate), upper levels filled to 70%, one metapage.
 */
final class BtreeModel {

    static final int BLOCK = 8192;
    private static final int PAGE_HEADER = 24;
    private static final int SPECIAL = 16;
    private static final int ITEM_ID = 4;
    private static final int HEAP_TID = 6;
    /** nbtsort.c: a posting list tuple may take a tenth of a page, less one line pointer. */
    private static final int MAX_POSTING_TUPLE = BLOCK * 10 / 100 / 8 * 8 - ITEM_ID;
    private static final int NONLEAF_FILLFACTOR = 70;

    private BtreeModel() {}

    /**
     * {@code groups} of {@code duplicates} equal keys each (fractional sizes stand for a mix of the sizes
     * around them), each key's tuple {@code tuple} bytes (MAXALIGNed).
     */
    record Group(double groups, double duplicates, double tuple) {}

    /**
     * @param entries index entries (heap tuples indexed)
     * @param leafTuple average leaf tuple size in bytes, MAXALIGNed, without its line pointer
     * @param pivotTuple average size of a separator key in the upper levels and as a leaf's high key
     * @param groups how the entries fall into groups of equal keys; empty when the build does not deduplicate
     * @param fillfactor the index's leaf fillfactor (btree default 90)
     */
    record Shape(double entries, double leafTuple, double pivotTuple, List<Group> groups, int fillfactor) {
        Shape {
            groups = List.copyOf(groups);
        }
    }

    /** Pages right after a build: metapage, leaves, upper levels. */
    static long pages(Shape shape) {
        double leafBytes = 0;
        if (shape.groups().isEmpty()) {
            leafBytes = shape.entries() * (shape.leafTuple() + ITEM_ID);
        } else {
            for (Group group : shape.groups()) {
                leafBytes += group.groups() * groupBytes(group.duplicates(), group.tuple());
            }
        }
        // a leaf takes tuples while its free space is at least (100 - fillfactor)% of the page, and keeps
        // room for its high key
        double leafRoom = BLOCK - PAGE_HEADER - SPECIAL - ITEM_ID - BLOCK * (100 - shape.fillfactor()) / 100
                - (shape.pivotTuple() + ITEM_ID);
        long leaves = Math.max(1, (long) Math.ceil(leafBytes / leafRoom));
        double upperRoom = BLOCK - PAGE_HEADER - SPECIAL - ITEM_ID - BLOCK * (100 - NONLEAF_FILLFACTOR) / 100;
        long perUpperPage = Math.max(2, (long) Math.floor(upperRoom / (shape.pivotTuple() + ITEM_ID)) + 1);
        long pages = 1 + leaves;
        for (long level = leaves; level > 1; ) {
            level = (level + perUpperPage - 1) / perUpperPage;
            pages += level;
        }
        return pages;
    }

    /** Leaf bytes (tuples and line pointers) of one group of equal keys, of a possibly fractional size. */
    static double groupBytes(double duplicates, double keyTuple) {
        if (duplicates <= 1) {
            return keyTuple + ITEM_ID;
        }
        long below = (long) Math.floor(duplicates);
        double share = duplicates - below;
        double bytes = integerGroupBytes(below, keyTuple);
        return share == 0 ? bytes : (1 - share) * bytes + share * integerGroupBytes(below + 1, keyTuple);
    }

    private static double integerGroupBytes(long duplicates, double keyTuple) {
        long perPosting = (long) Math.floor((MAX_POSTING_TUPLE - keyTuple) / HEAP_TID);
        if (perPosting < 2) {
            return duplicates * (keyTuple + ITEM_ID);
        }
        long full = duplicates / perPosting;
        long rest = duplicates % perPosting;
        double bytes = full * posting(perPosting, keyTuple);
        if (rest == 1) {
            bytes += keyTuple + ITEM_ID;
        } else if (rest > 1) {
            bytes += posting(rest, keyTuple);
        }
        return bytes;
    }

    /** A posting list tuple of {@code tids} heap TIDs after a key tuple, MAXALIGNed, with its line pointer. */
    private static double posting(long tids, double keyTuple) {
        long list = tids * HEAP_TID;
        return keyTuple + list + (8 - list % 8) % 8 + ITEM_ID;
    }
}

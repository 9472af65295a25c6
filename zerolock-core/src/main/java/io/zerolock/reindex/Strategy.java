package io.zerolock.reindex;

/** How an index is rebuilt without blocking reads and writes. */
public enum Strategy {
    /** {@code REINDEX INDEX CONCURRENTLY} (PostgreSQL 12+). */
    NATIVE("native"),
    /** Build a twin concurrently, then swap it in (any version). */
    SWAP("swap");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}

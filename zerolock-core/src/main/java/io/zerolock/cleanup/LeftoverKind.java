package io.zerolock.cleanup;

/** What an invalid index is, judged by its name and the catalog. */
public enum LeftoverKind {
    /** {@code <name>_ccnew[N]}: a killed REINDEX CONCURRENTLY's new index; the original is intact. */
    REINDEX_CONCURRENTLY_NEW("REINDEX CONCURRENTLY leftover (_ccnew): the original index is intact"),
    /** {@code <name>_ccold[N]}: REINDEX CONCURRENTLY's old index; its presence means the swap succeeded. */
    REINDEX_CONCURRENTLY_OLD("REINDEX CONCURRENTLY leftover (_ccold): the rebuild itself succeeded"),
    /** {@code zerolock_<oid>_new|old}: a working or retired index of an earlier zerolock run. */
    ZEROLOCK_WORKING_INDEX("zerolock working index of an earlier run"),
    /** Anything else: most often a failed CREATE [UNIQUE] INDEX CONCURRENTLY of the user's. */
    FAILED_BUILD("failed CREATE INDEX CONCURRENTLY (not zerolock's)");

    private final String description;

    LeftoverKind(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Leftovers of tools, safe to drop: nothing uses an invalid index, and the tool's original is in place. */
    public boolean droppable() {
        return this != FAILED_BUILD;
    }
}

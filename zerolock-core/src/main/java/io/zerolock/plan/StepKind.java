package io.zerolock.plan;

import java.util.Locale;

/**
 * What a step does, as the journal stores it and as resume reads it back: resume decides how to finish or
 * undo a step of a dead run by its kind, never by matching its name.
 */
public enum StepKind {
    /** A concurrent build of a working index ({@code CREATE INDEX CONCURRENTLY}). */
    BUILD,
    /** {@code REINDEX INDEX CONCURRENTLY}. */
    REINDEX,
    /** A short locked transaction that puts a replacement in place. */
    SWAP,
    /** {@code VALIDATE CONSTRAINT} of a constraint added {@code NOT VALID}; its subject is the constraint. */
    VALIDATE,
    /** {@code DROP INDEX CONCURRENTLY} of a retired index or a leftover. */
    DROP,
    /** {@code ANALYZE} after a rebuild. */
    ANALYZE,
    /** The undo of another step. */
    UNDO,
    /** A migration statement run as written (bounded). */
    STATEMENT,
    /** A short locked change made by a rewrite of a migration statement (a constraint added NOT VALID...). */
    ALTER,
    /** Existing rows updated in key ranges, each in its own transaction. */
    BACKFILL;

    /** The journal's name for it: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.zerolock.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * PostgreSQL's table-level lock modes, weakest first: the one vocabulary of the planner (what a step
 * takes), the checker (what a statement would take) and the tracer (what it took, from {@code pg_locks}).
 */
public enum LockMode {
    NONE("no lock"),
    ACCESS_SHARE("ACCESS SHARE"),
    ROW_SHARE("ROW SHARE"),
    ROW_EXCLUSIVE("ROW EXCLUSIVE"),
    SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE"),
    SHARE("SHARE"),
    SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE"),
    EXCLUSIVE("EXCLUSIVE"),
    ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE");

    private final String sql;

    LockMode(String sql) {
        this.sql = sql;
    }

    public String sql() {
        return sql;
    }

    /**
     * Stronger than SHARE UPDATE EXCLUSIVE (SHARE or stronger): blocks application writes (or reads), so
     * it must be bounded.
     */
    public boolean blocksApplication() {
        return compareTo(SHARE_UPDATE_EXCLUSIVE) > 0;
    }

    /** The stronger of two modes. */
    public LockMode max(LockMode other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** A mode as {@code pg_locks.mode} names it ({@code AccessExclusiveLock}). */
    public static LockMode fromPgLocks(String mode) {
        String words = mode.replaceFirst("Lock$", "").replaceAll("([a-z])([A-Z])", "$1 $2");
        return fromSql(words).orElseThrow(() -> new IllegalArgumentException("not a table lock mode: " + mode));
    }

    /** A mode as SQL writes it ({@code ACCESS EXCLUSIVE}, any case and spacing), if it is one. */
    public static Optional<LockMode> fromSql(String mode) {
        String normal = mode.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        for (LockMode candidate : values()) {
            if (candidate != NONE && candidate.sql.equals(normal)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

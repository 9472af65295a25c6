package io.zerolock.plan;

/** PostgreSQL's table-level lock modes, weakest first. */
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

    /** Stronger than SHARE UPDATE EXCLUSIVE: blocks application writes (or reads), so it must be bounded. */
    public boolean blocksApplication() {
        return compareTo(SHARE_UPDATE_EXCLUSIVE) > 0;
    }
}

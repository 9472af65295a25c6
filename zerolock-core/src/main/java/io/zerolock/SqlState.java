package io.zerolock;

/** The SQLSTATE codes zerolock reacts to, by name. */
public final class SqlState {
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String QUERY_CANCELED = "57014";
    public static final String DEADLOCK_DETECTED = "40P01";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String INVALID_PASSWORD = "28P01";
    public static final String INVALID_AUTHORIZATION = "28000";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNDEFINED_OBJECT = "42704";
    /** A relation (table, index...) of that name exists already. */
    public static final String DUPLICATE_TABLE = "42P07";
    /** An object (constraint...) of that name exists already. */
    public static final String DUPLICATE_OBJECT = "42710";
    public static final String CONNECTION_FAILURE = "08001";
    public static final String ADMIN_SHUTDOWN = "57P01";
    /** "cannot run inside a transaction block". */
    public static final String ACTIVE_SQL_TRANSACTION = "25001";

    private SqlState() {}
}

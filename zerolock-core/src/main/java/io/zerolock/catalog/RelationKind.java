package io.zerolock.catalog;

/** {@code pg_class.relkind}. */
public enum RelationKind {
    TABLE('r', "table"),
    PARTITIONED_TABLE('p', "partitioned table"),
    INDEX('i', "index"),
    PARTITIONED_INDEX('I', "partitioned index"),
    MATERIALIZED_VIEW('m', "materialized view"),
    TOAST_TABLE('t', "TOAST table"),
    VIEW('v', "view"),
    SEQUENCE('S', "sequence"),
    FOREIGN_TABLE('f', "foreign table"),
    COMPOSITE_TYPE('c', "composite type");

    private final char code;
    private final String description;

    RelationKind(char code, String description) {
        this.code = code;
        this.description = description;
    }

    public static RelationKind of(String code) {
        for (RelationKind kind : values()) {
            if (code != null && code.length() == 1 && kind.code == code.charAt(0)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown relkind " + code);
    }

    /** The {@code relkind} letter. */
    public char code() {
        return code;
    }

    public boolean isIndex() {
        return this == INDEX || this == PARTITIONED_INDEX;
    }

    /** Relations that can carry indexes. */
    public boolean hasIndexes() {
        return this == TABLE || this == PARTITIONED_TABLE || this == MATERIALIZED_VIEW || this == TOAST_TABLE;
    }

    public String description() {
        return description;
    }
}

package io.zerolock.catalog;

/** {@code pg_constraint.contype}. */
public enum ConstraintType {
    PRIMARY_KEY("PRIMARY KEY"), UNIQUE("UNIQUE"), EXCLUSION("EXCLUDE"), FOREIGN_KEY("FOREIGN KEY"), CHECK("CHECK"),
    TRIGGER("CONSTRAINT TRIGGER"), NOT_NULL("NOT NULL");

    private final String sql;

    ConstraintType(String sql) {
        this.sql = sql;
    }

    public static ConstraintType of(String code) {
        return switch (code) {
            case "p" -> PRIMARY_KEY;
            case "u" -> UNIQUE;
            case "x" -> EXCLUSION;
            case "f" -> FOREIGN_KEY;
            case "c" -> CHECK;
            case "t" -> TRIGGER;
            case "n" -> NOT_NULL;
            default -> throw new IllegalArgumentException("unknown contype " + code);
        };
    }

    /** The keyword of this kind of constraint in SQL. */
    public String sql() {
        return sql;
    }

    /** Kinds whose constraint is enforced by an index on the constrained table. */
    public boolean usesIndex() {
        return this == PRIMARY_KEY || this == UNIQUE || this == EXCLUSION;
    }
}

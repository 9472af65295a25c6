package io.zerolock.catalog;

/** {@code pg_class.relpersistence}. */
public enum Persistence {
    PERMANENT, UNLOGGED, TEMPORARY;

    public static Persistence of(String code) {
        return switch (code) {
            case "p" -> PERMANENT;
            case "u" -> UNLOGGED;
            case "t" -> TEMPORARY;
            default -> throw new IllegalArgumentException("unknown relpersistence " + code);
        };
    }
}

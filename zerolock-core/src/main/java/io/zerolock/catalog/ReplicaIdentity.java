package io.zerolock.catalog;

/** {@code pg_class.relreplident} of a table. */
public enum ReplicaIdentity {
    DEFAULT, NOTHING, FULL, INDEX;

    public static ReplicaIdentity of(String code) {
        return switch (code) {
            case "d" -> DEFAULT;
            case "n" -> NOTHING;
            case "f" -> FULL;
            case "i" -> INDEX;
            default -> throw new IllegalArgumentException("unknown relreplident " + code);
        };
    }
}

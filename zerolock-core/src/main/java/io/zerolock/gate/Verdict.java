package io.zerolock.gate;

/** What the gate says of going on, from the mildest to the strongest. */
public enum Verdict {
    /** Safe to go on. */
    GO,
    /** Not now: the server should be healthier in a while (a lagging standby, an old transaction). */
    WAIT,
    /** Not this operation: leave it, others may go (its table is being vacuumed against wraparound, it is too big). */
    SKIP,
    /** Nothing on this server (it is a standby). */
    STOP;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

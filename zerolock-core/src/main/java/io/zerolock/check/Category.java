package io.zerolock.check;

import java.util.Locale;

/** What a rule is about: a lock that blocks the application, code that breaks, or data that goes. */
public enum Category {
    /** A statement that blocks reads or writes, or waits in the lock queue. */
    LOCKS,
    /** A statement the running application may not survive (a rename, a dropped column). */
    COMPATIBILITY,
    /** A statement that removes data. */
    DATA;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Category of(String id) {
        for (Category category : values()) {
            if (category.id().equalsIgnoreCase(id.trim())) {
                return category;
            }
        }
        throw new IllegalArgumentException("unknown category \"" + id + "\"; known: locks, compatibility, data");
    }
}

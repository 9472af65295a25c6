package io.zerolock.check;

import java.util.Locale;

/** How bad a finding is; {@code --fail-on} takes one of these. */
public enum Severity {
    INFO, WARNING, ERROR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}

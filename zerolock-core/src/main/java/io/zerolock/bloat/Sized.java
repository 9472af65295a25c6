package io.zerolock.bloat;

import java.util.List;

/** A size after a rebuild in bytes (null: no estimate), how it was worked out, and what to know about it. */
record Sized(Long bytes, EstimateMethod method, List<String> notes) {

    Sized {
        notes = List.copyOf(notes);
    }

    static Sized of(long pages, EstimateMethod method, List<String> notes) {
        return new Sized(pages * BtreeModel.BLOCK, method, notes);
    }

    static Sized none(List<String> notes) {
        return new Sized(null, EstimateMethod.NONE, notes);
    }

    String note() {
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    /** A fillfactor storage parameter's value, or the access method's default when unset or unreadable. */
    static int fillfactor(String setting, int byDefault) {
        if (setting == null) {
            return byDefault;
        }
        try {
            int value = Integer.parseInt(setting.trim());
            return value >= 10 && value <= 100 ? value : byDefault;
        } catch (NumberFormatException e) {
            return byDefault;
        }
    }
}

package io.zerolock.plan;

import java.util.List;

/**
 * An ordered list of steps for one target, with the settings its builds run under.
 *
 * @param undoPolicy how the undo SQL of failed steps waits for its locks: always bounded, since an undo
 *     that waits forever behind the session that made the step fail would hang the run
 */
public record Plan(String target, String strategy, List<Step> steps, List<SessionSetting> settings,
        LockPolicy undoPolicy) {

    public Plan {
        steps = List.copyOf(steps);
        settings = List.copyOf(settings);
        if (!undoPolicy.bounded()) {
            throw new IllegalArgumentException("undo must run under lock_timeout");
        }
    }

    /** A session setting applied for the plan's builds and reset after. */
    public record SessionSetting(String name, String value) {
        public SessionSetting {
            if (!name.matches("[a-z_]+")) {
                throw new IllegalArgumentException("not a setting name: " + name);
            }
        }
    }
}

package io.zerolock.plan;

import java.util.List;

/** An ordered list of steps for one target, with the settings its builds run under. */
public record Plan(String target, String strategy, List<Step> steps, List<SessionSetting> settings) {

    public Plan {
        steps = List.copyOf(steps);
        settings = List.copyOf(settings);
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

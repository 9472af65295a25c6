package io.zerolock.execute;

import io.zerolock.plan.SettingValues;
import java.time.Duration;

/**
 * What to do while a concurrent build waits for other sessions (old snapshots, lockers).
 *
 * @param warnAfter log the sessions it waits for once it has waited this long
 * @param maxWait cancel the build (and clean up) once it has waited this long; null: never
 */
public record Watchdog(Duration warnAfter, Duration maxWait) {

    public Watchdog {
        SettingValues.requirePositive("--warn-after", java.util.Objects.requireNonNull(warnAfter, "warnAfter"));
        SettingValues.requirePositive("--max-wait", maxWait);
    }

    public static Watchdog defaults() {
        return new Watchdog(Duration.ofSeconds(10), null);
    }
}

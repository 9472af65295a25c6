package io.zerolock.flyway;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.check.Severity;
import java.time.Duration;
import java.util.Locale;
import org.flywaydb.core.extensibility.ConfigurationExtension;

/**
 * zerolock's settings in Flyway's own configuration (namespace {@code zerolock}): {@code flyway.zerolock.failOn}
 * ({@code error}, the default, {@code warning}, {@code info} or {@code never}) and {@code
 * flyway.zerolock.lockTimeout} (default {@code 1s}; {@code 0} leaves the session's). In a {@code flyway.conf},
 * the Maven plugin's {@code <configuration>}, Spring Boot's {@code spring.flyway.*}-less
 * {@code FlywayConfigurationCustomizer}, or {@code Flyway.configure().configuration(Map)}. Flyway binds them
 * to the setters below with Jackson, as it does its own plugins' settings.
 */
public final class ZerolockFlywayConfiguration implements ConfigurationExtension {

    static final String FAIL_ON = "flyway.zerolock.failOn";
    static final String LOCK_TIMEOUT = "flyway.zerolock.lockTimeout";

    // kept as written, with bean getters and setters: Flyway binds and copies its plugins' settings with Jackson
    private String failOn = "error";
    private String lockTimeout = "1s";

    @Override
    public String getNamespace() {
        return "zerolock";
    }

    @Override
    public String getConfigurationParameterFromEnvironmentVariable(String variable) {
        return switch (variable) {
            case "FLYWAY_ZEROLOCK_FAIL_ON" -> FAIL_ON;
            case "FLYWAY_ZEROLOCK_LOCK_TIMEOUT" -> LOCK_TIMEOUT;
            default -> null;
        };
    }

    public String getFailOn() {
        return failOn;
    }

    public void setFailOn(String value) {
        severity(value);
        failOn = value;
    }

    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String value) {
        duration(value);
        lockTimeout = value;
    }

    /** The least severity that stops the migration before anything runs; null: nothing stops it. */
    Severity failOnSeverity() {
        return severity(failOn);
    }

    /** The {@code lock_timeout} every statement of a migration runs under; zero leaves the session's. */
    Duration lockTimeoutDuration() {
        return duration(lockTimeout);
    }

    private static Severity severity(String value) {
        String id = value.strip().toLowerCase(Locale.ROOT);
        if (id.equals("never")) {
            return null;
        }
        try {
            return Severity.valueOf(id.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, FAIL_ON + " must be error, warning, info or never, not "
                    + value);
        }
    }

    private static Duration duration(String value) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?i)\\s*(\\d+)\\s*(ms|s|min)?\\s*")
                .matcher(value);
        if (!matcher.matches()) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, LOCK_TIMEOUT + " must be a duration such as 500ms, 1s "
                    + "or 0, not " + value);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            default -> Duration.ofMillis(amount);
        };
    }
}

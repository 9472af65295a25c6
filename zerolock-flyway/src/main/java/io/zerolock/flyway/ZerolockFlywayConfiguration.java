package io.zerolock.flyway;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.check.Severity;
import java.time.Duration;
import java.util.Locale;
import org.flywaydb.core.extensibility.ConfigurationExtension;

/**
 * zerolock's settings in Flyway's own configuration (namespace {@code zerolock}): {@code flyway.zerolock.failOn}
 * ({@code error}, the default, {@code warning}, {@code info} or {@code never}), {@code
 * flyway.zerolock.lockTimeout} (default {@code 1s}; {@code 0} leaves the session's) and {@code
 * flyway.zerolock.configFile} (the project's {@code .zerolock.toml}, by default the working directory's:
 * its {@code exclude}, {@code [severity]}, {@code fail-on} and {@code [placeholders]} apply). In a {@code flyway.conf},
 * the Maven plugin's {@code <configuration>}, Spring Boot's {@code spring.flyway.*}-less
 * {@code FlywayConfigurationCustomizer}, or {@code Flyway.configure().configuration(Map)}. Flyway binds them
 * to the setters below with Jackson, as it does its own plugins' settings.
 */
public final class ZerolockFlywayConfiguration implements ConfigurationExtension {

    static final String FAIL_ON = "flyway.zerolock.failOn";
    static final String LOCK_TIMEOUT = "flyway.zerolock.lockTimeout";
    static final String CONFIG_FILE = "flyway.zerolock.configFile";
    static final String STATE_SCHEMA = "flyway.zerolock.stateSchema";

    // kept as written, with bean getters and setters: Flyway binds and copies its plugins' settings with Jackson
    private String failOn;
    private String lockTimeout = "1s";
    private String configFile;
    private String stateSchema = "zerolock";

    @Override
    public String getNamespace() {
        return "zerolock";
    }

    @Override
    public String getConfigurationParameterFromEnvironmentVariable(String variable) {
        return switch (variable) {
            case "FLYWAY_ZEROLOCK_FAIL_ON" -> FAIL_ON;
            case "FLYWAY_ZEROLOCK_LOCK_TIMEOUT" -> LOCK_TIMEOUT;
            case "FLYWAY_ZEROLOCK_CONFIG_FILE" -> CONFIG_FILE;
            case "FLYWAY_ZEROLOCK_STATE_SCHEMA" -> STATE_SCHEMA;
            default -> null;
        };
    }

    public String getFailOn() {
        return failOn;
    }

    /** Checked when set, so a wrong value fails at configuration; null (as Flyway's copies pass it) unsets it. */
    public void setFailOn(String value) {
        if (value != null) {
            severity(value);
        }
        failOn = value;
    }

    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String value) {
        if (value != null) {
            duration(value);
        }
        lockTimeout = value == null ? "1s" : value;
    }

    /** The project's zerolock settings ({@code .zerolock.toml}); by default that file in the working directory. */
    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String value) {
        configFile = value;
    }

    /** The schema of zerolock's state (its async queue, journal), as the catalog has it; {@code zerolock} by default. */
    public String getStateSchema() {
        return stateSchema;
    }

    public void setStateSchema(String value) {
        stateSchema = value == null ? "zerolock" : value;
    }

    /** The project's {@code .zerolock.toml}: the one named, else the working directory's if there is one. */
    io.zerolock.check.CheckConfig project() {
        java.nio.file.Path file = java.nio.file.Path.of(configFile == null ? io.zerolock.check.CheckConfig.FILE_NAME
                : configFile);
        if (configFile == null && !java.nio.file.Files.isRegularFile(file)) {
            return io.zerolock.check.CheckConfig.none();
        }
        return io.zerolock.check.CheckConfig.read(file);
    }

    /**
     * The least severity that stops the migration before anything runs (this setting, else the project's
     * {@code fail-on}, else error); null: nothing stops it.
     */
    Severity failOnSeverity(io.zerolock.check.CheckConfig project) {
        return severity(failOn != null ? failOn : project.failOn() != null ? project.failOn() : "error");
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
        return io.zerolock.plan.SettingValues.parseDuration(LOCK_TIMEOUT, value);
    }
}

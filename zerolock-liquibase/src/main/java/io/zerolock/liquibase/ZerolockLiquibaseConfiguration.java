package io.zerolock.liquibase;

import liquibase.configuration.AutoloadedConfigurations;
import liquibase.configuration.ConfigurationDefinition;

/**
 * zerolock's settings in Liquibase's own configuration: {@code liquibase.zerolock.failOn} in
 * {@code liquibase.properties}, as {@code -Dliquibase.zerolock.failOn=...}, or
 * {@code LIQUIBASE_ZEROLOCK_FAIL_ON} in the environment.
 */
public final class ZerolockLiquibaseConfiguration implements AutoloadedConfigurations {

    /** The least severity that stops an update before anything runs: error, warning, info, or never. */
    public static final ConfigurationDefinition<String> FAIL_ON;

    /** The {@code lock_timeout} Liquibase's statements run under (concurrent builds excepted); 0 leaves it unset. */
    public static final ConfigurationDefinition<String> LOCK_TIMEOUT;

    static {
        ConfigurationDefinition.Builder builder = new ConfigurationDefinition.Builder("liquibase.zerolock");
        LOCK_TIMEOUT = builder.define("lockTimeout", String.class).setDefaultValue("1s")
                .setDescription("zerolock: the lock_timeout of every statement an update runs, so one behind another "
                        + "session's lock fails after it instead of stopping every session queued behind it "
                        + "(concurrent builds run without one); 0 to leave the session's")
                .build();
        FAIL_ON = builder.define("failOn", String.class).setDefaultValue("error")
                .setDescription("zerolock: the least severity of a finding in the pending changesets that stops an "
                        + "update before anything runs (error, warning, info, or never to only log them)")
                .build();
    }
}

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

    static {
        ConfigurationDefinition.Builder builder = new ConfigurationDefinition.Builder("liquibase.zerolock");
        FAIL_ON = builder.define("failOn", String.class).setDefaultValue("error")
                .setDescription("zerolock: the least severity of a finding in the pending changesets that stops an "
                        + "update before anything runs (error, warning, info, or never to only log them)")
                .build();
    }
}

package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Option values are checked against what PostgreSQL accepts before anything connects: the runs below
 * point at a port where nothing listens, so reaching the server would exit 1 with a connection error.
 */
class OptionLimitsTest {

    private static final String NOWHERE = "postgresql://postgres@localhost:1/app";

    private static Cli reindex(String... options) {
        String[] args = new String[options.length + 5];
        args[0] = "reindex";
        args[1] = "-d";
        args[2] = NOWHERE;
        args[3] = "public.orders_pkey";
        args[4] = "--dry-run";
        System.arraycopy(options, 0, args, 5, options.length);
        return Cli.run(args);
    }

    @Test
    void values_postgresql_would_refuse_are_usage_errors_before_connecting() {
        String[][] refused = {
            {"--lock-timeout", "600h"}, {"--lock-timeout", "0"}, {"--lock-timeout", "5 fortnights"},
            {"--lock-retries", "0"}, {"--maintenance-work-mem", "lots"}, {"--maintenance-work-mem", "1gb"},
            {"--maintenance-work-mem", "512kB"}, {"--maintenance-work-mem", "3TB"}, {"--parallel-workers", "-3"},
            {"--parallel-workers", "5000"}, {"--max-wait", "0"}, {"--warn-after", "0s"}, {"--max-xact-age", "0"},
            {"--temp-file-limit", "-5"},
        };
        for (String[] option : refused) {
            Cli cli = reindex(option);
            assertThat(cli.exitCode()).as(String.join(" ", option) + "\n" + cli.err()).isEqualTo(2);
            assertThat(cli.err()).as(String.join(" ", option)).contains(option[0]).doesNotContain("cannot connect");
        }
    }

    @Test
    void values_postgresql_accepts_are_accepted() {
        String[][] accepted = {
            {"--lock-timeout", "1.5s"}, {"--lock-timeout", "250"}, {"--lock-timeout", "2min"},
            {"--maintenance-work-mem", "1GB"}, {"--maintenance-work-mem", "65536"}, {"--parallel-workers", "0"},
            {"--max-wait", "1d"}, {"--temp-file-limit", "-1"},
        };
        for (String[] option : accepted) {
            Cli cli = reindex(option);
            // past the checks: the run goes on to connect, and finds nothing at port 1
            assertThat(cli.exitCode()).as(String.join(" ", option) + "\n" + cli.err()).isEqualTo(1);
            assertThat(cli.err()).as(String.join(" ", option)).contains("cannot connect");
        }
    }

    @Test
    void minus_W_takes_no_value_and_leaves_the_index_name_to_the_parser() {
        Cli cli = Cli.run("reindex", "-d", NOWHERE, "-W", "public.orders_pkey", "--dry-run");
        assertThat(cli.exitCode()).isEqualTo(2);
        // not mistaken for a password: the parser took the index, and -W asked for a terminal to prompt on
        assertThat(cli.err()).contains("cannot prompt for a password (-W): no terminal")
                .doesNotContain("a password cannot be given on the command line");
    }
}

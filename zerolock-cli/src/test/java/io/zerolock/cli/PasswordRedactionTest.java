package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The password never shows: not in logs, errors, stack traces or results, in any log format. */
class PasswordRedactionTest {

    private static final String SECRET = "Hunter2-secret";

    @PostgresTest(versions = 18)
    void a_password_in_the_uri_never_appears_in_any_output(TestDatabase db) {
        String role = "redact_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + SECRET + "'",
                "GRANT ALL ON DATABASE " + db.name() + " TO " + role);
        String good = "postgresql://" + role + ":" + SECRET + "@localhost:" + db.port() + "/" + db.name();
        String wrong = "postgresql://" + role + ":" + SECRET + "x@localhost:" + db.port() + "/" + db.name();
        String conninfo = "host=localhost port=" + db.port() + " dbname=" + db.name() + " user=" + role
                + " password='" + SECRET + "'";

        List<Cli> runs = new ArrayList<>();
        for (String format : List.of("logfmt", "json")) {
            for (String dbname : List.of(good, wrong, conninfo)) {
                runs.add(Cli.run("--verbose", "--log-format", format, "indexes", "-d", dbname));
                runs.add(Cli.run("--verbose", "--log-format", format, "version", "-d", dbname));
                runs.add(Cli.run("--verbose", "--log-format", format, "indexes", "-d", dbname, "--table", "nope"));
                runs.add(Cli.run("--verbose", "--log-format", format, "indexes", "-d", dbname, "--port", "x"));
                runs.add(Cli.run("--verbose", "--log-format", format, "indexes", "-d", dbname, "--bogus"));
            }
        }
        assertThat(runs.get(0).exitCode()).as(runs.get(0).err()).isZero();
        assertThat(runs.get(5).exitCode()).isEqualTo(1);
        // the stack-trace paths are exercised too: logfmt prints the trace, JSON carries it in a field
        assertThat(runs.get(5).err()).contains("password authentication failed").contains("\tat ");
        assertThat(runs.get(20).err()).contains("password authentication failed").contains("\"stack_trace\"");
        for (Cli run : runs) {
            assertThat(run.all()).doesNotContain(SECRET);
        }
    }

    @Test
    void a_password_flag_is_refused_without_echoing_it() {
        for (String[] args : new String[][] {{"indexes", "--password", SECRET}, {"indexes", "--password=" + SECRET},
                {"indexes", "-W", SECRET}, {"indexes", "-W" + SECRET}}) {
            Cli cli = Cli.run(args);
            assertThat(cli.exitCode()).isEqualTo(2);
            assertThat(cli.err()).contains("a password cannot be given on the command line");
            assertThat(cli.all()).doesNotContain(SECRET);
        }
    }
}

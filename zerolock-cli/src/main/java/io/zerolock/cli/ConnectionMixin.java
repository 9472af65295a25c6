package io.zerolock.cli;

import io.zerolock.ConnectionOptions;
import io.zerolock.ErrorCode;
import io.zerolock.Secret;
import io.zerolock.ZerolockException;
import java.io.Console;
import picocli.CommandLine.Option;

/** libpq's connection options. A password is never taken from the command line: -W prompts for it. */
public final class ConnectionMixin {

    @Option(names = {"-d", "--dbname"}, paramLabel = "DBNAME",
            description = "Database name, postgresql:// URI or key=value connection string (default: $PGDATABASE, "
                    + "else the user name).")
    String dbname;

    @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "Server host (default: $PGHOST, else localhost).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Server port (default: $PGPORT, else 5432).")
    String port;

    @Option(names = {"-U", "--username"}, paramLabel = "USER",
            description = "Role to connect as (default: $PGUSER, else the OS user).")
    String username;

    @Option(names = {"-W", "--password"}, arity = "0",
            description = "Prompt for the password. Otherwise it comes from the URI, $PGPASSWORD or ~/.pgpass "
                    + "($PGPASSFILE).")
    boolean promptForPassword;

    /** Whether any connection option was given on the command line. */
    boolean given() {
        return dbname != null || host != null || port != null || username != null || promptForPassword;
    }

    ConnectionOptions options() {
        Secret password = null;
        if (promptForPassword) {
            Console console = System.console();
            if (console == null) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "cannot prompt for a password (-W): no terminal; "
                        + "set PGPASSWORD or add a line to ~/.pgpass instead");
            }
            char[] typed = console.readPassword("Password: ");
            if (typed == null) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "no password entered");
            }
            password = Secret.of(typed);
            java.util.Arrays.fill(typed, '\0');
        }
        return new ConnectionOptions(dbname, host, port, username, password);
    }
}

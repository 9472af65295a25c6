package io.zerolock.connect;

import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens connections to a resolved target, and turns login failures into advice. */
public final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    /** How long a catalog read may wait for a lock (behind VACUUM FULL, CLUSTER, a long ALTER). */
    public static final Duration CATALOG_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** How long a catalog read may run at all. */
    public static final Duration CATALOG_STATEMENT_TIMEOUT = Duration.ofMinutes(2);

    private final ConnectionTarget target;
    private final Duration catalogLockTimeout;
    private final java.util.concurrent.atomic.AtomicBoolean announced = new java.util.concurrent.atomic.AtomicBoolean();

    public Connector(ConnectionTarget target) {
        this(target, CATALOG_LOCK_TIMEOUT);
    }

    public Connector(ConnectionTarget target, Duration catalogLockTimeout) {
        this.target = target;
        this.catalogLockTimeout = catalogLockTimeout;
    }

    public ConnectionTarget target() {
        return target;
    }

    /**
     * A new autocommit connection for reading the catalog: its reads wait at most
     * {@link #CATALOG_LOCK_TIMEOUT} for a lock and run at most {@link #CATALOG_STATEMENT_TIMEOUT}, so a
     * read never hangs behind another session's exclusive lock.
     */
    public Connection openCatalog() {
        Connection connection = open("catalog");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '" + catalogLockTimeout.toMillis() + "ms'");
            statement.execute("SET statement_timeout = '" + CATALOG_STATEMENT_TIMEOUT.toMillis() + "ms'");
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already failing
            }
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "cannot set up the catalog connection: "
                    + e.getMessage(), e);
        }
        return connection;
    }

    /**
     * A new autocommit connection; {@code purpose} only labels the log line. The first connection is
     * logged at info level, the others (monitor, journal, work) at debug: one line per run, not four.
     */
    public Connection open(String purpose) {
        (announced.getAndSet(true) ? log.atDebug() : log.atInfo()).setMessage("connecting to database")
                .addKeyValue("dbname", target.database())
                .addKeyValue("host", target.host())
                .addKeyValue("port", target.port())
                .addKeyValue("user", target.user())
                .addKeyValue("purpose", purpose)
                .log();
        try {
            Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw connectionFailed(e);
        }
    }

    private ZerolockException connectionFailed(SQLException e) {
        String where = "database \"" + target.database() + "\" on " + target.where() + " as user \""
                + target.user() + "\"";
        String redacted = Redaction.redact(e.getMessage(), target.password());
        // the driver's sentences end with a full stop; ours go on after a semicolon
        String reason = redacted == null ? null : redacted.strip().replaceAll("\\.$", "");
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String advice;
        if (state.equals(SqlState.INVALID_PASSWORD) || state.equals(SqlState.INVALID_AUTHORIZATION)
                || (reason != null && reason.contains("password"))) {
            advice = target.password() == null
                    ? "the server wants a password and none was given: set PGPASSWORD, add a line to ~/.pgpass, "
                            + "or use -W to be prompted"
                    : "check the password (it came from " + target.passwordSource() + ")";
        } else if (reason != null && reason.contains("SSL")) {
            advice = "the server and sslmode=" + (target.sslMode() == null ? "prefer" : target.sslMode())
                    + " disagree about SSL: set sslmode (PGSSLMODE, or ?sslmode= in the URI) to what the server "
                    + "accepts";
        } else if (state.startsWith("08")) {
            advice = target.socketPath().isPresent()
                    ? "check that the server is running and listens on " + target.socketPath().get()
                            + " (unix_socket_directories, -h, -p, PGHOST, PGPORT)"
                    : "check that the server is running and accepts TCP connections at " + target.host() + ":"
                            + target.port() + " (-h, -p, PGHOST, PGPORT)";
        } else {
            advice = "check the connection options";
        }
        return new ZerolockException(ErrorCode.CONNECTION_FAILED,
                "cannot connect to " + where + ": " + reason + "; " + advice, sanitized(e));
    }

    /** The driver's exception with any echo of the password removed, so stack traces stay clean. */
    private SQLException sanitized(SQLException e) {
        String message = Redaction.redact(e.getMessage(), target.password());
        SQLException clean = new SQLException(message, e.getSQLState(), e.getErrorCode());
        clean.setStackTrace(e.getStackTrace());
        return clean;
    }
}

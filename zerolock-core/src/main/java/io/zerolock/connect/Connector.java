package io.zerolock.connect;

import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.SqlState;
import io.zerolock.ZerolockException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens connections to a resolved target, and turns login failures into advice. */
public final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final ConnectionTarget target;

    public Connector(ConnectionTarget target) {
        this.target = target;
    }

    public ConnectionTarget target() {
        return target;
    }

    /** A new autocommit connection; {@code purpose} only labels the log line. */
    public Connection open(String purpose) {
        log.atInfo().setMessage("connecting to database")
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
        String where = "database \"" + target.database() + "\" on " + target.host() + ":" + target.port()
                + " as user \"" + target.user() + "\"";
        String reason = Redaction.redact(e.getMessage(), target.password());
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String advice;
        if (state.equals(SqlState.INVALID_PASSWORD) || state.equals(SqlState.INVALID_AUTHORIZATION)
                || (reason != null && reason.contains("password"))) {
            advice = target.password() == null
                    ? "the server wants a password and none was given: set PGPASSWORD, add a line to ~/.pgpass, "
                            + "or use -W to be prompted"
                    : "check the password (it came from " + target.passwordSource() + ")";
        } else if (state.startsWith("08")) {
            advice = "check that the server is running and accepts TCP connections at " + target.host() + ":"
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

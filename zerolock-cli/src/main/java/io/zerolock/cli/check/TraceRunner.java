package io.zerolock.cli.check;

import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import io.zerolock.check.Checker;
import io.zerolock.check.trace.TraceVerdict;
import io.zerolock.check.trace.Tracer;
import io.zerolock.embedded.EmbeddedPostgresException;
import io.zerolock.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Where {@code check --trace} replays the migrations: a scratch database on an embedded PostgreSQL of
 * the chosen major version, or on a server the user gives (a database created for the trace and dropped
 * after it). Nothing of the user's is touched.
 */
public final class TraceRunner {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TraceRunner.class);

    private TraceRunner() {}

    /** The major version of the server given for the trace. */
    public static int serverMajor(ConnectionTarget given) {
        try (Connection connection = connect(given.withApplicationName("zerolock-trace"));
                Statement statement = connection.createStatement()) {
            return Integer.parseInt(single(statement, "SHOW server_version_num")) / 10000;
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.CONNECTION_FAILED, "cannot reach the server given for the trace ("
                    + given.where() + "): " + e.getMessage(), e);
        }
    }

    /**
     * @param given the user's server, or null for an embedded one
     * @param timeZone the production session's time zone, or null when unknown
     */
    public static TraceVerdict.Result run(Checker.Report report, List<Checker.Source> sources, int version,
            ConnectionTarget given, String timeZone) {
        if (given == null) {
            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.startScratch(version)) {
                String database = "postgres"; // the server is this trace's alone, and thrown away after it
                ConnectionTarget target = new ConnectionTarget(List.of(server.host()), List.of(server.port()),
                        database, EmbeddedPostgresServer.SUPERUSER, null, "none", null, "zerolock-trace", Map.of());
                return trace(report, sources, target, "PostgreSQL " + server.release() + " (embedded)", timeZone);
            } catch (EmbeddedPostgresException e) {
                throw new ZerolockException(ErrorCode.OPERATION_FAILED, e.getMessage(), e);
            }
        }
        ConnectionTarget admin = given.withApplicationName("zerolock-trace");
        String scratch = "zerolock_trace_" + ProcessHandle.current().pid();
        String release;
        try (Connection connection = connect(admin); Statement statement = connection.createStatement()) {
            release = single(statement, "SHOW server_version");
            int major = Integer.parseInt(single(statement, "SHOW server_version_num")) / 10000;
            if (major != version) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "the server at " + admin.host() + " runs PostgreSQL "
                        + release + ", but --pg-version is " + version + ": trace on a server of the version the "
                        + "migrations will run on");
            }
            statement.execute("CREATE DATABASE " + Identifiers.quote(scratch) + " TEMPLATE template0");
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot create the scratch database " + scratch
                    + " on " + admin.host() + ":" + admin.port() + " (the role needs CREATEDB): " + e.getMessage(), e);
        }
        try {
            return trace(report, sources, admin.withDatabase(scratch), "PostgreSQL " + release, timeZone);
        } finally {
            try (Connection connection = connect(admin); Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                        + io.zerolock.plan.Sql.literal(scratch) + " AND pid <> pg_backend_pid()");
                statement.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(scratch));
            } catch (SQLException e) {
                // said, not thrown: the check's result stands
                log.atWarn().setMessage("could not drop the scratch database; drop it by hand")
                        .addKeyValue("database", scratch).addKeyValue("reason", e.getMessage()).log();
            }
        }
    }

    private static TraceVerdict.Result trace(Checker.Report report, List<Checker.Source> sources,
            ConnectionTarget target, String server, String timeZone) {
        try (Connection connection = connect(target)) {
            List<Tracer.Traced> traced = new Tracer(connection, () -> {
                try {
                    return connect(target);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }).withTimeZone(timeZone).trace(sources);
            return TraceVerdict.apply(report, traced, server);
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "the trace lost its connection: " + e.getMessage(),
                    e);
        }
    }

    private static Connection connect(ConnectionTarget target) throws SQLException {
        Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
        connection.setAutoCommit(true);
        return connection;
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}

package io.zerolock.testing;

import io.zerolock.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A fresh, empty database on a real server, owned by one test invocation. */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedPostgresServer server;
    private final String name;
    private final List<Connection> opened = new ArrayList<>();

    TestDatabase(EmbeddedPostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public EmbeddedPostgresServer server() {
        return server;
    }

    public int majorVersion() {
        return server.majorVersion();
    }

    public String name() {
        return name;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String user() {
        return EmbeddedPostgresServer.SUPERUSER;
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** A new autocommit connection as the superuser, closed with the database. */
    public Connection connect() {
        try {
            Connection connection = server.connect(name);
            synchronized (opened) {
                opened.add(connection);
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to test database " + name, e);
        }
    }

    /** Runs each SQL script (several statements allowed) in autocommit mode. */
    public TestDatabase execute(String... scripts) {
        try (Connection connection = server.connect(name); Statement statement = connection.createStatement()) {
            for (String script : scripts) {
                statement.execute(script);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on PG " + majorVersion() + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The first column of the first row of a query, as text (null when no row). */
    public String queryString(String sql) {
        try (Connection connection = server.connect(name);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed on PG " + majorVersion() + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql) {
        return Long.parseLong(queryString(sql));
    }

    /**
     * Another fresh database on the same server, dropped when this one is: to run the same change two ways
     * and compare the catalogs.
     */
    public TestDatabase sibling() {
        TestDatabase sibling = new TestDatabase(server, server.createDatabase("zl_test"));
        synchronized (siblings) {
            siblings.add(sibling);
        }
        return sibling;
    }

    private final List<TestDatabase> siblings = new ArrayList<>();

    @Override
    public void close() {
        synchronized (siblings) {
            siblings.forEach(TestDatabase::close);
            siblings.clear();
        }
        synchronized (opened) {
            for (Connection connection : opened) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the server may already have dropped it
                }
            }
            opened.clear();
        }
        server.dropDatabase(name);
    }

    @Override
    public String toString() {
        return "PG " + server.release() + " database " + name;
    }
}

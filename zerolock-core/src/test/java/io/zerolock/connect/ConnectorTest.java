package io.zerolock.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

class ConnectorTest {

    @PostgresTest
    void logs_in_with_a_password_from_pgpass_and_names_itself_zerolock(TestDatabase db) throws Exception {
        String role = "alice_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'S3cret:pw'");
        Path home = Files.createTempDirectory("zl-home");
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "localhost:" + db.port() + ":" + db.name() + ":" + role + ":S3cret\\:pw\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        ConnectionTarget target = new ConnectionResolver(Map.of("PGPORT", String.valueOf(db.port())), home, "nobody")
                .resolve(new ConnectionOptions(db.name(), "localhost", null, role, null));
        try (Connection connection = new Connector(target).open("test");
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT current_user, current_setting('application_name')")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(role);
            assertThat(rows.getString(2)).isEqualTo("zerolock");
        }
    }

    @PostgresTest(versions = {11, 18})
    void a_world_readable_password_file_is_not_used_by_anyone(TestDatabase db) throws Exception {
        String role = "mallory_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'in-the-file'");
        Path home = Files.createTempDirectory("zl-home");
        Path pgpass = home.resolve("pgpass");
        Files.writeString(pgpass, "*:*:*:" + role + ":in-the-file\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        ConnectionTarget target = new ConnectionResolver(Map.of("PGPASSFILE", pgpass.toString()), home, "nobody")
                .resolve(new ConnectionOptions(db.name(), "localhost", String.valueOf(db.port()), role, null));
        assertThat(target.password()).isNull();
        // the driver's own password-file lookup, pointed at the same file, must not be consulted either
        String previous = System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            assertThatThrownBy(() -> new Connector(target).open("test").close())
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                    .hasMessageContaining("none was given");
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }

    @PostgresTest
    void connects_through_the_servers_unix_domain_socket(TestDatabase db) throws Exception {
        String directory = db.queryString("SELECT split_part(current_setting('unix_socket_directories'), ',', 1)");
        assertThat(Path.of(directory, ".s.PGSQL." + db.port())).as("the server's socket").exists();
        for (Map<String, String> env : List.of(Map.of("PGHOST", directory, "PGPORT", String.valueOf(db.port())),
                Map.of("PGPORT", String.valueOf(db.port())))) { // and with no host at all: the default directory
            ConnectionTarget target = new ConnectionResolver(env, Path.of("/nonexistent"), "postgres")
                    .resolve(ConnectionOptions.ofDbname(db.name()));
            try (Connection connection = new Connector(target).open("test");
                    ResultSet rows = connection.createStatement().executeQuery(
                            "SELECT inet_client_addr() IS NULL, current_database()")) {
                rows.next();
                assertThat(rows.getBoolean(1)).as("over a Unix-domain socket, not TCP: " + env).isTrue();
                assertThat(rows.getString(2)).isEqualTo(db.name());
            }
        }
        ConnectionTarget nowhere = new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "postgres")
                .resolve(new ConnectionOptions(db.name(), "/nonexistent-dir", "5432", null, null));
        assertThatThrownBy(() -> new Connector(nowhere).open("test"))
                .hasMessageContaining("on Unix-domain socket /nonexistent-dir/.s.PGSQL.5432")
                .hasMessageContaining("check that the server is running and listens on /nonexistent-dir/.s.PGSQL.5432");
    }

    @PostgresTest(versions = 18)
    void a_wrong_password_fails_clearly_without_showing_it(TestDatabase db) {
        String role = "bob_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'right-one'");
        String uri = "postgresql://" + role + ":wrong-hunter2@localhost:" + db.port() + "/" + db.name();
        ConnectionTarget target = new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody")
                .resolve(ConnectionOptions.ofDbname(uri));
        assertThatThrownBy(() -> new Connector(target).open("test"))
                .isInstanceOfSatisfying(ZerolockException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                    assertThat(e.getMessage()).contains("password authentication failed")
                            .contains("it came from dbname").doesNotContain("wrong-hunter2");
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain("wrong-hunter2");
                });
    }

    @PostgresTest(versions = 18)
    void a_missing_password_says_how_to_give_one(TestDatabase db) {
        String role = "carol_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
        ConnectionTarget target = new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody")
                .resolve(new ConnectionOptions(db.name(), "localhost", String.valueOf(db.port()), role, null));
        assertThatThrownBy(() -> new Connector(target).open("test"))
                .hasMessageContaining("set PGPASSWORD, add a line to ~/.pgpass, or use -W")
                .hasMessageNotContaining(".;");
    }

    @PostgresTest(versions = 18)
    void an_unreachable_server_is_a_connection_error(TestDatabase db) {
        ConnectionTarget target = new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody")
                .resolve(ConnectionOptions.ofDbname("postgresql://u:hunter2@localhost:1/db"));
        assertThatThrownBy(() -> new Connector(target).open("test"))
                .isInstanceOfSatisfying(ZerolockException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED))
                .hasMessageContaining("check that the server is running")
                .hasMessageNotContaining("hunter2");
    }
}

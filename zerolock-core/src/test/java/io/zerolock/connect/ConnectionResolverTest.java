package io.zerolock.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.Secret;
import io.zerolock.ZerolockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionResolverTest {

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    private ConnectionTarget resolve(String dbname, String host, String port, String user) {
        return new ConnectionResolver(env, home, "osuser", socket -> false)
                .resolve(new ConnectionOptions(dbname, host, port, user, null));
    }

    @Test
    void defaults_follow_libpq() {
        ConnectionTarget target = resolve(null, null, null, null);
        assertThat(target.hosts()).containsExactly("localhost");
        assertThat(target.ports()).containsExactly(5432);
        assertThat(target.user()).isEqualTo("osuser");
        assertThat(target.database()).isEqualTo("osuser");
        assertThat(target.applicationName()).isEqualTo("zerolock");
        assertThat(target.password()).isNull();
        assertThat(target.passwordSource()).isEqualTo("none");
        assertThat(target.sslMode()).isNull();
    }

    @Test
    void environment_beats_defaults() {
        env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser",
                "PGSSLMODE", "require", "PGAPPNAME", "envapp"));
        ConnectionTarget target = resolve(null, null, null, null);
        assertThat(target.host()).isEqualTo("envhost");
        assertThat(target.ports()).containsExactly(6000);
        assertThat(target.database()).isEqualTo("envdb");
        assertThat(target.user()).isEqualTo("envuser");
        assertThat(target.sslMode()).isEqualTo("require");
        assertThat(target.applicationName()).isEqualTo("envapp");
    }

    @Test
    void the_dbname_string_beats_the_environment() {
        env.putAll(Map.of("PGHOST", "envhost", "PGPORT", "6000", "PGDATABASE", "envdb", "PGUSER", "envuser",
                "PGAPPNAME", "envapp", "PGSSLMODE", "disable"));
        ConnectionTarget fromUri = resolve("postgresql://urluser@urlhost:7000/urldb?application_name=urlapp"
                + "&sslmode=verify-full", null, null, null);
        assertThat(fromUri.host()).isEqualTo("urlhost");
        assertThat(fromUri.ports()).containsExactly(7000);
        assertThat(fromUri.database()).isEqualTo("urldb");
        assertThat(fromUri.user()).isEqualTo("urluser");
        assertThat(fromUri.applicationName()).isEqualTo("urlapp");
        assertThat(fromUri.sslMode()).isEqualTo("verify-full");

        ConnectionTarget fromConninfo = resolve("host=kvhost dbname=kvdb", null, null, null);
        assertThat(fromConninfo.host()).isEqualTo("kvhost");
        assertThat(fromConninfo.database()).isEqualTo("kvdb");
        assertThat(fromConninfo.user()).isEqualTo("envuser");
        assertThat(fromConninfo.ports()).containsExactly(6000);

        assertThat(resolve("plaindb", null, null, null).database()).isEqualTo("plaindb");
        assertThat(resolve("plaindb", null, null, null).host()).isEqualTo("envhost");
    }

    @Test
    void flags_beat_the_dbname_string() {
        ConnectionTarget target = resolve("postgresql://urluser@urlhost:7000/urldb", "flaghost", "8000", "flaguser");
        assertThat(target.host()).isEqualTo("flaghost");
        assertThat(target.ports()).containsExactly(8000);
        assertThat(target.user()).isEqualTo("flaguser");
        assertThat(target.database()).isEqualTo("urldb");
    }

    @Test
    void several_hosts_take_one_port_each_or_one_for_all() {
        assertThat(resolve("postgresql://a:1,b:2/db", null, null, null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:1,b:2/db");
        assertThat(resolve("host=a,b port=9 dbname=db", null, null, null).ports()).containsExactly(9, 9);
        assertThatThrownBy(() -> resolve("host=a,b,c port=1,2", null, null, null))
                .hasMessage("could not match 2 port numbers to 3 hosts");
        assertThat(resolve("postgresql://[::1]:5/d b", null, null, null).jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5/d%20b");
    }

    @Test
    void bad_values_are_usage_errors() {
        assertThatThrownBy(() -> resolve(null, null, "port", null))
                .isInstanceOfSatisfying(ZerolockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_USAGE))
                .hasMessage("invalid port number: \"port\"");
        env.put("PGSSLMODE", "sometimes");
        assertThatThrownBy(() -> resolve(null, null, null, null)).hasMessageStartingWith("invalid sslmode value");
        env.remove("PGSSLMODE");
        assertThatThrownBy(() -> resolve(null, "@abstract", null, null)).hasMessageContaining("abstract namespace");
        assertThatThrownBy(() -> resolve("host=db connect_timeout=abc", null, null, null))
                .isInstanceOfSatisfying(ZerolockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_USAGE))
                .hasMessageContaining("invalid integer value \"abc\" for connection option \"connect_timeout\"");
        assertThatThrownBy(() -> resolve(null, "/var/run/postgresql,db2", null, null))
                .hasMessageContaining("mixes a Unix-domain socket directory");
    }

    @Test
    void a_host_starting_with_a_slash_is_a_socket_directory_as_in_libpq() {
        assertThat(resolve(null, "/var/run/postgresql", "5433", null).socketPath())
                .contains("/var/run/postgresql/.s.PGSQL.5433");
        env.put("PGHOST", "/tmp/");
        assertThat(resolve(null, null, null, null).socketPath()).contains("/tmp/.s.PGSQL.5432");
        env.remove("PGHOST");
        assertThat(resolve("postgresql:///app?host=/srv/pg&port=6000", null, null, null).socketPath())
                .contains("/srv/pg/.s.PGSQL.6000");
        assertThat(resolve("host=/srv/pg dbname=app", null, null, null).where())
                .isEqualTo("Unix-domain socket /srv/pg/.s.PGSQL.5432");
        assertThat(resolve(null, null, null, null).socketPath()).as("no socket there: TCP to localhost").isEmpty();
        // no host, and a server's socket in the default directory: that socket, as psql does
        ConnectionTarget local = new ConnectionResolver(env, home, "osuser",
                socket -> socket.toString().equals("/var/run/postgresql/.s.PGSQL.5432"))
                .resolve(new ConnectionOptions(null, null, null, null, null));
        assertThat(local.socketPath()).contains("/var/run/postgresql/.s.PGSQL.5432");
    }

    @Test
    void password_comes_from_options_then_string_then_pgpassword_then_pgpass() throws IOException {
        writePgpass(home.resolve(".pgpass"), "*:*:*:*:from-file\n");
        assertThat(resolve(null, null, null, null).password()).isEqualTo(Secret.of("from-file"));
        assertThat(resolve(null, null, null, null).passwordSource()).isEqualTo(home.resolve(".pgpass").toString());

        env.put("PGPASSWORD", "from-env");
        assertThat(resolve(null, null, null, null).password()).isEqualTo(Secret.of("from-env"));
        assertThat(resolve(null, null, null, null).passwordSource()).isEqualTo("PGPASSWORD");

        assertThat(resolve("postgresql://u:from-uri@h/db", null, null, null).password()).isEqualTo(Secret.of("from-uri"));
        assertThat(resolve("host=h password=from-kv", null, null, null).password()).isEqualTo(Secret.of("from-kv"));

        ConnectionTarget prompted = new ConnectionResolver(env, home, "osuser")
                .resolve(new ConnectionOptions("postgresql://u:from-uri@h/db", null, null, null, Secret.of("typed")));
        assertThat(prompted.password()).isEqualTo(Secret.of("typed"));
        assertThat(prompted.jdbcProperties().getProperty("password")).isEqualTo("typed");
    }

    @Test
    void pgpass_matches_like_libpq() throws IOException {
        writePgpass(home.resolve(".pgpass"), String.join("\n",
                "# comment line",
                "otherhost:*:*:*:wrong-host",
                "db.example.com:5432:app:alice:first-match",
                "db.example.com:5432:app:alice:second-match",
                "db.example.com:*:*:bob:bob\\:with\\\\colon",
                "*:6543:*:*:any-host-port-6543",
                ""));
        assertThat(password("db.example.com", "5432", "app", "alice")).isEqualTo("first-match");
        assertThat(password("db.example.com", "9999", "other", "bob")).isEqualTo("bob:with\\colon");
        assertThat(password("elsewhere", "6543", "x", "carol")).isEqualTo("any-host-port-6543");
        assertThat(password("elsewhere", "5432", "x", "carol")).isNull();
    }

    @Test
    void pgpass_is_ignored_when_group_or_world_readable() throws IOException {
        Path file = home.resolve(".pgpass");
        writePgpass(file, "*:*:*:*:leaked\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(resolve(null, null, null, null).password()).isNull();
    }

    @Test
    void pgpassfile_points_elsewhere() throws IOException {
        Path custom = home.resolve("custom-pgpass");
        writePgpass(custom, "*:*:*:*:custom\n");
        env.put("PGPASSFILE", custom.toString());
        assertThat(resolve(null, null, null, null).password()).isEqualTo(Secret.of("custom"));
        env.remove("PGPASSFILE");
        assertThat(resolve("host=h passfile=" + custom, null, null, null).password()).isEqualTo(Secret.of("custom"));
    }

    @Test
    void never_shows_the_password() {
        ConnectionTarget target = resolve("postgresql://u:hunter2@h/db", null, null, null);
        assertThat(target.toString()).doesNotContain("hunter2");
        assertThat(target.jdbcUrl()).doesNotContain("hunter2");
        assertThat(new ConnectionOptions("postgresql://u:hunter2@h/db", null, null, null, Secret.of("x")).toString())
                .doesNotContain("hunter2");
        assertThat(List.of(target).toString()).doesNotContain("hunter2");
    }

    private String password(String host, String port, String db, String user) {
        Secret secret = resolve("host=" + host + " port=" + port + " dbname=" + db + " user=" + user, null, null, null)
                .password();
        return secret == null ? null : secret.reveal();
    }

    private static void writePgpass(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void a_service_name_takes_its_parameters_from_the_service_file_under_the_connection_string() throws Exception {
        java.nio.file.Files.writeString(home.resolve(".pg_service.conf"), """
                # production
                [orders]
                host=db1.internal
                port=5433
                dbname=orders
                user=maintenance

                [other]
                host=elsewhere
                """);
        ConnectionTarget target = new ConnectionResolver(Map.of("PGHOST", "fromenv"), home, "osuser", socket -> false)
                .resolve(ConnectionOptions.ofDbname("service=orders"));
        assertThat(target.hosts()).containsExactly("db1.internal");
        assertThat(target.ports()).containsExactly(5433);
        assertThat(target.database()).isEqualTo("orders");
        assertThat(target.user()).isEqualTo("maintenance");
        ConnectionTarget overridden = new ConnectionResolver(Map.of("PGSERVICE", "orders"), home, "osuser",
                socket -> false).resolve(ConnectionOptions.ofDbname("dbname=orders_copy"));
        assertThat(overridden.database()).isEqualTo("orders_copy");
        assertThat(overridden.hosts()).containsExactly("db1.internal");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConnectionResolver(Map.of(), home, "osuser",
                socket -> false).resolve(ConnectionOptions.ofDbname("service=missing")))
                .hasMessageContaining("definition of service \"missing\" not found");
    }
}

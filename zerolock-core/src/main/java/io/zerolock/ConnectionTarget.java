package io.zerolock;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where and as whom to connect, after libpq's rules were applied (flags, then the dbname string, then
 * the environment, then defaults; the password from the string, PGPASSWORD or the password file).
 *
 * @param hosts one or more host names (libpq's comma-separated list)
 * @param ports one port per host
 * @param passwordSource where the password came from: {@code options}, {@code dbname}, {@code PGPASSWORD},
 *     the password file's path, or {@code none}
 * @param driverParameters other libpq parameters the driver understands (sslrootcert, connect_timeout...)
 */
public record ConnectionTarget(
        List<String> hosts,
        List<Integer> ports,
        String database,
        String user,
        Secret password,
        String passwordSource,
        String sslMode,
        String applicationName,
        Map<String, String> driverParameters) {

    public ConnectionTarget {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(applicationName, "applicationName");
        driverParameters = Map.copyOf(driverParameters);
        if (hosts.isEmpty() || hosts.size() != ports.size()) {
            throw new IllegalArgumentException("one port per host expected: " + hosts + " " + ports);
        }
    }

    public String host() {
        return String.join(",", hosts);
    }

    public String port() {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The Unix-domain socket to connect through (libpq's host starting with {@code /}), if any. */
    public java.util.Optional<String> socketPath() {
        String host = hosts.get(0);
        return host.startsWith("/") ? java.util.Optional.of((host.endsWith("/") ? host : host + "/") + ".s.PGSQL."
                + ports.get(0)) : java.util.Optional.empty();
    }

    /** Where the connection goes, for messages: {@code host:port}, or the socket's path. */
    public String where() {
        return socketPath().map(path -> "Unix-domain socket " + path).orElse(host() + ":" + port());
    }

    /** The JDBC URL; it never holds the password. */
    public String jdbcUrl() {
        if (socketPath().isPresent()) {
            // the socket factory ignores the host; the port still names the socket file
            return "jdbc:postgresql://localhost:" + ports.get(0) + "/"
                    + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://");
        for (int i = 0; i < hosts.size(); i++) {
            if (i > 0) {
                url.append(',');
            }
            String host = hosts.get(i);
            url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(ports.get(i));
        }
        url.append('/').append(URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20"));
        return url.toString();
    }

    /** The driver's connection properties, password included: never log these. */
    public Properties jdbcProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        // Always set, empty when there is none: the driver would otherwise read ~/.pgpass or $PGPASSFILE on
        // its own, without libpq's permission check, and send a password zerolock decided to ignore.
        properties.setProperty("password", password != null ? password.reveal() : "");
        if (sslMode != null) {
            properties.setProperty("sslmode", sslMode);
        }
        properties.setProperty("ApplicationName", applicationName);
        socketPath().ifPresent(path -> {
            properties.setProperty("socketFactory", "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg");
            properties.setProperty("socketFactoryArg", path);
            // SSL over a local socket makes no sense, and libpq does not try it there
            properties.setProperty("sslmode", "disable");
        });
        driverParameters.forEach(properties::setProperty);
        return properties;
    }

    public ConnectionTarget withApplicationName(String name) {
        return new ConnectionTarget(hosts, ports, database, user, password, passwordSource, sslMode, name,
                driverParameters);
    }

    public ConnectionTarget withDatabase(String name) {
        return new ConnectionTarget(hosts, ports, name, user, password, passwordSource, sslMode, applicationName,
                driverParameters);
    }

    @Override
    public String toString() {
        return "ConnectionTarget[host=" + host() + ", port=" + port() + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + ", sslmode=" + sslMode
                + ", application_name=" + applicationName + "]";
    }
}

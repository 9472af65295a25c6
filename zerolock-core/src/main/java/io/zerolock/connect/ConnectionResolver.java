package io.zerolock.connect;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.ErrorCode;
import io.zerolock.Secret;
import io.zerolock.ZerolockException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies libpq's rules to what the user gave: command-line flags first, then the {@code dbname}
 * connection string, then the environment ({@code PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSSLMODE
 * PGAPPNAME PGPASSFILE}), then defaults. The password comes from the options, the connection string,
 * {@code PGPASSWORD}, or the password file ({@code ~/.pgpass}), in that order.
 */
public final class ConnectionResolver {

    public static final String DEFAULT_APPLICATION_NAME = "zerolock";
    private static final int DEFAULT_PORT = 5432;
    private static final Set<String> SSL_MODES =
            Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    /** libpq parameters handed to the driver under the same name. */
    private static final Map<String, String> DRIVER_PARAMETERS = Map.of(
            "sslcert", "sslcert", "sslkey", "sslkey", "sslrootcert", "sslrootcert", "sslpassword", "sslpassword",
            "connect_timeout", "connectTimeout", "options", "options", "target_session_attrs", "targetServerType",
            "gssencmode", "gssEncMode", "channel_binding", "channelBinding");

    private final Map<String, String> environment;
    private final Path home;
    private final String osUser;

    private final java.util.function.Predicate<Path> socketExists;

    public ConnectionResolver(Map<String, String> environment, Path home, String osUser) {
        this(environment, home, osUser, java.nio.file.Files::exists);
    }

    /** {@code socketExists} decides whether a server listens at a default socket path (tests pin it). */
    public ConnectionResolver(Map<String, String> environment, Path home, String osUser,
            java.util.function.Predicate<Path> socketExists) {
        this.environment = Map.copyOf(environment);
        this.home = home;
        this.osUser = osUser;
        this.socketExists = socketExists;
    }

    /** The resolver for this process: its environment, home directory and OS user. */
    public static ConnectionResolver forThisProcess() {
        return new ConnectionResolver(System.getenv(), Path.of(System.getProperty("user.home")),
                System.getProperty("user.name"));
    }

    public ConnectionTarget resolve(ConnectionOptions options) {
        Map<String, String> fromString = ConnInfo.parse(options.dbname());
        Map<String, String> settings = new LinkedHashMap<>();
        // lowest precedence first; later puts win
        putEnv(settings, "host", "PGHOST");
        putEnv(settings, "port", "PGPORT");
        putEnv(settings, "dbname", "PGDATABASE");
        putEnv(settings, "user", "PGUSER");
        putEnv(settings, "sslmode", "PGSSLMODE");
        putEnv(settings, "application_name", "PGAPPNAME");
        putEnv(settings, "passfile", "PGPASSFILE");
        putEnv(settings, "connect_timeout", "PGCONNECT_TIMEOUT");
        // a service file's settings override the environment; the connection string overrides them
        String service = fromString.getOrDefault("service", environment.get("PGSERVICE"));
        if (service != null && !service.isEmpty()) {
            ServiceFile.lookup(service, serviceFiles()).forEach((key, value) -> {
                if (!key.equals("password")) {
                    settings.put(key.equals("hostaddr") ? "host" : key, value);
                }
            });
        }
        fromString.forEach((key, value) -> {
            if (!value.isEmpty() && !key.equals("password")) {
                settings.put(key.equals("hostaddr") ? "host" : key, value);
            }
        });
        putFlag(settings, "host", options.host());
        putFlag(settings, "port", options.port());
        putFlag(settings, "user", options.user());

        String givenHosts = settings.get("host");
        List<String> hosts = Arrays.asList((givenHosts == null ? "" : givenHosts).split(",", -1));
        List<Integer> ports = ports(settings.get("port"), hosts.size());
        // as libpq: no host means the default socket directory when the server's socket is there, else localhost
        hosts = hosts.stream().map(h -> h.isEmpty() ? defaultHost(ports.get(0)) : h).toList();
        for (String host : hosts) {
            if (host.startsWith("@")) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "host \"" + host + "\" is a socket in Linux's "
                        + "abstract namespace, which zerolock cannot connect to: give the socket's directory, or a "
                        + "TCP host");
            }
            if (host.startsWith("/") && hosts.size() > 1) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "host list " + hosts + " mixes a Unix-domain socket "
                        + "directory with other hosts: zerolock connects through one socket directory, or to TCP "
                        + "hosts");
            }
        }
        String user = settings.getOrDefault("user", osUser);
        String database = settings.getOrDefault("dbname", user);
        String sslMode = settings.get("sslmode");
        if (sslMode != null && !SSL_MODES.contains(sslMode)) {
            throw new ZerolockException(ErrorCode.BAD_USAGE,
                    "invalid sslmode value: \"" + sslMode + "\" (expected one of " + SSL_MODES + ")");
        }
        String connectTimeout = settings.get("connect_timeout");
        if (connectTimeout != null && !connectTimeout.trim().matches("-?\\d{1,9}")) {
            throw new ZerolockException(ErrorCode.BAD_USAGE, "invalid integer value \"" + connectTimeout
                    + "\" for connection option \"connect_timeout\" (seconds; 0 waits forever)");
        }
        String applicationName = settings.getOrDefault("application_name",
                settings.getOrDefault("fallback_application_name", DEFAULT_APPLICATION_NAME));

        Secret password = options.password();
        String passwordSource = password != null ? "options" : "none";
        if (password == null && fromString.get("password") != null && !fromString.get("password").isEmpty()) {
            password = Secret.of(fromString.get("password"));
            passwordSource = "dbname";
        }
        if (password == null && environment.get("PGPASSWORD") != null && !environment.get("PGPASSWORD").isEmpty()) {
            password = Secret.of(environment.get("PGPASSWORD"));
            passwordSource = "PGPASSWORD";
        }
        if (password == null) {
            PgPassFile file = new PgPassFile(passFile(settings.get("passfile")));
            // libpq matches a socket in the default directory as localhost, other directories by their path
            String passHost = DEFAULT_SOCKET_DIRECTORIES.contains(hosts.get(0)) ? "localhost" : hosts.get(0);
            Optional<String> found = file.lookup(passHost, ports.get(0), database, user);
            if (found.isPresent()) {
                password = Secret.of(found.get());
                passwordSource = file.path().toString();
            }
        }

        Map<String, String> driverParameters = new LinkedHashMap<>();
        DRIVER_PARAMETERS.forEach((libpq, driver) -> {
            String value = settings.get(libpq);
            if (value != null) {
                driverParameters.put(driver, libpq.equals("target_session_attrs") ? targetServerType(value) : value);
            }
        });
        return new ConnectionTarget(hosts, ports, database, user, password, passwordSource, sslMode, applicationName,
                driverParameters);
    }

    /** Where libpq builds look for the server's socket when no host is given (Debian's, then the source default). */
    static final List<String> DEFAULT_SOCKET_DIRECTORIES = List.of("/var/run/postgresql", "/tmp");

    private String defaultHost(int port) {
        for (String directory : DEFAULT_SOCKET_DIRECTORIES) {
            if (socketExists.test(Path.of(directory, ".s.PGSQL." + port))) {
                return directory;
            }
        }
        return "localhost";
    }

    /** The per-user service file, then the system-wide one, as libpq looks for them. */
    private List<Path> serviceFiles() {
        String user = environment.get("PGSERVICEFILE");
        String system = environment.get("PGSYSCONFDIR");
        return List.of(user != null && !user.isEmpty() ? Path.of(user) : home.resolve(".pg_service.conf"),
                system != null && !system.isEmpty() ? Path.of(system, "pg_service.conf")
                        : Path.of("/etc/postgresql-common/pg_service.conf"));
    }

    private Path passFile(String configured) {
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured.startsWith("~/") ? home + configured.substring(1) : configured);
        }
        return home.resolve(".pgpass");
    }

    private void putEnv(Map<String, String> settings, String key, String variable) {
        String value = environment.get(variable);
        if (value != null && !value.isEmpty()) {
            settings.put(key, value);
        }
    }

    private static void putFlag(Map<String, String> settings, String key, String value) {
        if (value != null && !value.isEmpty()) {
            settings.put(key, value);
        }
    }

    private static List<Integer> ports(String text, int hostCount) {
        if (text == null || text.isEmpty()) {
            return java.util.Collections.nCopies(hostCount, DEFAULT_PORT);
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != hostCount) {
            throw new ZerolockException(ErrorCode.BAD_USAGE,
                    "could not match " + parts.length + " port numbers to " + hostCount + " hosts");
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            String part = parts.length == 1 ? parts[0] : parts[i];
            if (part.isEmpty()) {
                ports.add(DEFAULT_PORT);
                continue;
            }
            try {
                int port = Integer.parseInt(part.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                throw new ZerolockException(ErrorCode.BAD_USAGE, "invalid port number: \"" + part + "\"");
            }
        }
        return ports;
    }

    private static String targetServerType(String attrs) {
        return switch (attrs) {
            case "read-write", "primary" -> "primary";
            case "read-only", "standby" -> "secondary";
            case "prefer-standby" -> "preferSecondary";
            default -> "any";
        };
    }
}

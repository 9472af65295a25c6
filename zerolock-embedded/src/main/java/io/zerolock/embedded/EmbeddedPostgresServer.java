package io.zerolock.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server of a chosen major version, started from the bundled binaries, listening on
 * localhost with trust authentication for the superuser {@code postgres}. Used by the tests, by
 * {@code zerolock demo} and by the migration trace; never for user data.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Integer, EmbeddedPostgresServer> SHARED = new ConcurrentHashMap<>();
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private final int major;
    private final EmbeddedPostgres postgres;
    /** A data directory of our own (a copy of the cached template), deleted when the server stops. */
    private File ownDataDirectory;
    private final Duration startupTime;

    private EmbeddedPostgresServer(int major, EmbeddedPostgres postgres, Duration startupTime) {
        this.major = major;
        this.postgres = postgres;
        this.startupTime = startupTime;
    }

    /** Starts a new server; the caller closes it. */
    public static EmbeddedPostgresServer start(int major) {
        return start(major, java.util.Map.of());
    }

    /** Starts a new server with these settings in its configuration (ones that need a restart, too). */
    public static EmbeddedPostgresServer start(int major, java.util.Map<String, String> settings) {
        String release = BundledPostgres.release(major);
        requireUserNamespacesWhenRoot();
        long startedAt = System.nanoTime();
        try {
            EmbeddedPostgres.Builder builder = builder(major);
            settings.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            Duration startupTime = Duration.ofNanos(System.nanoTime() - startedAt);
            log.atInfo().setMessage("embedded postgres started")
                    .addKeyValue("version", release)
                    .addKeyValue("port", postgres.getPort())
                    .addKeyValue("startup_ms", startupTime.toMillis())
                    .log();
            return new EmbeddedPostgresServer(major, postgres, startupTime);
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            throw new EmbeddedPostgresException("could not start the embedded PostgreSQL " + release + ": "
                    + rootCauseMessage(e), e);
        }
    }

    /**
     * A throwaway server started from a data directory that was initialised once and cached (in
     * {@code ~/.cache/zerolock/initdb/<release>}): a copy of it skips initdb, most of a start's time. For
     * scratch work (the migration trace); any trouble with the cache falls back to {@link #start}.
     */
    public static EmbeddedPostgresServer startScratch(int major) {
        String release = BundledPostgres.release(major);
        Path template = cacheDirectory().resolve("initdb").resolve(release + "-" + HBA_VERSION);
        try {
            if (!Files.isRegularFile(template.resolve("postgresql.conf"))) {
                makeTemplate(major, template);
            }
            Path copy = Files.createTempDirectory("zerolock-scratch-pg");
            copyTree(template, copy);
            requireUserNamespacesWhenRoot();
            long startedAt = System.nanoTime();
            EmbeddedPostgres postgres = builder(major).setDataDirectory(copy.toFile()).setCleanDataDirectory(false)
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(major, postgres,
                    Duration.ofNanos(System.nanoTime() - startedAt));
            server.ownDataDirectory = copy.toFile();
            return server;
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            log.atDebug().setMessage("no cached data directory; starting with initdb")
                    .addKeyValue("reason", String.valueOf(e)).log();
            return start(major);
        }
    }

    /** Bumped whenever what the data directory holds changes (pg_hba, settings): old templates are not used. */
    private static final String HBA_VERSION = "2";

    /** initdb once, into a temporary directory moved into place whole, so a concurrent run never sees half of it. */
    private static void makeTemplate(int major, Path template) throws IOException {
        Files.createDirectories(template.getParent());
        Path fresh = Files.createTempDirectory(template.getParent(), "initdb");
        try (EmbeddedPostgres postgres = builder(major).setDataDirectory(fresh.toFile()).setCleanDataDirectory(false)
                .start()) {
            log.atDebug().setMessage("cached a data directory").addKeyValue("port", postgres.getPort()).log();
        }
        Files.deleteIfExists(fresh.resolve("epg-lock"));
        try {
            Files.move(fresh, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException taken) {
            deleteTree(fresh); // another run cached it first
        }
    }

    private static EmbeddedPostgres.Builder builder(int major) {
        return EmbeddedPostgres.builder()
                .setPgBinaryResolver(new VersionedBinaryResolver(major))
                .setLocaleConfig("locale", "C")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "64MB")
                .setServerConfig("max_wal_size", "1GB")
                .setPGStartupWait(Duration.ofSeconds(60))
                .setDataDirectoryCustomizer(EmbeddedPostgresServer::requirePasswordsExceptForSuperuser)
                .setRegisterShutdownHook(true);
    }

    /**
     * zerolock's cache: {@code $XDG_CACHE_HOME/zerolock}, else {@code ~/.cache/zerolock}. (Here, not in
     * DownloadedPostgres, whose HTTP client is costly to load: a scratch start must not pay for it.)
     */
    static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("zerolock");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // PostgreSQL refuses a data directory that others may read
        Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.atDebug().setMessage("could not delete a scratch data directory").addKeyValue("path", root).log();
        }
    }

    /**
     * A primary and a hot standby streaming from it, for tests of what replication lag does: the standby is
     * an online base backup of the primary (the low-level backup API: the bundled binaries have no
     * pg_basebackup) started in recovery with {@code primary_conninfo}. The caller closes both.
     */
    public static EmbeddedPostgresServer[] startWithStandby(int major) {
        requireUserNamespacesWhenRoot();
        try {
            Path primaryData = Files.createTempDirectory("zerolock-primary-pg");
            EmbeddedPostgres primary = builder(major).setDataDirectory(primaryData.toFile())
                    .setCleanDataDirectory(true).setServerConfig("wal_level", "replica")
                    .setServerConfig("max_wal_senders", "5").setServerConfig("wal_keep_" + (major >= 13
                            ? "size" : "segments"), major >= 13 ? "256MB" : "16").start();
            EmbeddedPostgresServer primaryServer = new EmbeddedPostgresServer(major, primary, Duration.ZERO);
            Path standbyData = Files.createTempDirectory("zerolock-standby-pg");
            try (Connection connection = primaryServer.connect("postgres");
                    Statement statement = connection.createStatement()) {
                statement.execute(major >= 15 ? "SELECT pg_backup_start('zerolock standby', true)"
                        : "SELECT pg_start_backup('zerolock standby', true, false)");
                copyForBackup(primaryData, standbyData);
                try (java.sql.ResultSet rows = statement.executeQuery(major >= 15
                        ? "SELECT labelfile FROM pg_backup_stop()" : "SELECT labelfile FROM pg_stop_backup(false)")) {
                    rows.next();
                    Files.writeString(standbyData.resolve("backup_label"), rows.getString(1));
                }
            }
            String conninfo = "primary_conninfo = 'host=localhost port=" + primary.getPort() + " user=" + SUPERUSER
                    + " application_name=zerolock_standby'\n";
            if (major >= 12) {
                Files.writeString(standbyData.resolve("standby.signal"), "");
                Files.writeString(standbyData.resolve("postgresql.auto.conf"), conninfo,
                        java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.writeString(standbyData.resolve("recovery.conf"), "standby_mode = 'on'\n" + conninfo);
            }
            EmbeddedPostgres standby = builder(major).setDataDirectory(standbyData.toFile())
                    .setCleanDataDirectory(false).setServerConfig("hot_standby", "on").start();
            EmbeddedPostgresServer standbyServer = new EmbeddedPostgresServer(major, standby, Duration.ZERO);
            primaryServer.ownDataDirectory = primaryData.toFile();
            standbyServer.ownDataDirectory = standbyData.toFile();
            return new EmbeddedPostgresServer[] {primaryServer, standbyServer};
        } catch (IOException | SQLException | RuntimeException e) {
            throw new EmbeddedPostgresException("could not start an embedded primary and standby: "
                    + rootCauseMessage(e), e);
        }
    }

    /** A running server's data directory, as a base backup copies it: without its pid and lock files. */
    private static void copyForBackup(Path from, Path to) throws IOException {
        java.util.Set<String> skipped = java.util.Set.of("postmaster.pid", "postmaster.opts", "epg-lock");
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(path);
                if (skipped.contains(relative.toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // a temporary file the server removed while we copied: a base backup skips it too
                    }
                }
            }
        }
        Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    /** A server of this major version shared by the whole JVM, started on first use, stopped at exit. */
    public static EmbeddedPostgresServer shared(int major) {
        return SHARED.computeIfAbsent(major, EmbeddedPostgresServer::start);
    }

    public int majorVersion() {
        return major;
    }

    public String release() {
        return BundledPostgres.release(major);
    }

    public int port() {
        return postgres.getPort();
    }

    public String host() {
        return "localhost";
    }

    public Duration startupTime() {
        return startupTime;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    /** Creates an empty database with a fresh name, and returns the name. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASE_COUNTER.incrementAndGet();
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + name + "\" TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return name;
    }

    /** Drops a database made by {@link #createDatabase}, disconnecting whoever is still in it. */
    public void dropDatabase(String name) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + name.replace("'", "''") + "' AND pid <> pg_backend_pid()");
            statement.execute("DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("could not drop database " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        SHARED.remove(major, this);
        try {
            postgres.close();
        } catch (IOException e) {
            log.atWarn().setMessage("could not stop embedded postgres").addKeyValue("error", e.getMessage()).log();
        }
        if (ownDataDirectory != null) {
            deleteTree(ownDataDirectory.toPath());
        }
    }

    /**
     * The superuser logs in without a password (the server is local and throwaway); every other role needs
     * one, so that password handling is exercised as on a real server.
     */
    private static void requirePasswordsExceptForSuperuser(File dataDirectory) {
        String hba = String.join("\n",
                "# written by zerolock: trust the superuser only; md5 also accepts SCRAM-stored passwords",
                "local all all trust",
                "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                "host all " + SUPERUSER + " ::1/128 trust",
                "host replication " + SUPERUSER + " 127.0.0.1/32 trust",
                "host replication " + SUPERUSER + " ::1/128 trust",
                "host all all 127.0.0.1/32 md5",
                "host all all ::1/128 md5",
                "");
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), hba);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireUserNamespacesWhenRoot() {
        if (!isRoot()) {
            return;
        }
        if (!LinuxUtils.isUnshareAvailable()) {
            throw new EmbeddedPostgresException("PostgreSQL refuses to run as root, and zerolock could not start it in "
                    + "a user namespace: 'unshare -U' is not available here (the util-linux package, or user "
                    + "namespaces disabled by sysctl user.max_user_namespaces / kernel.unprivileged_userns_clone). "
                    + "Run zerolock as a non-root user, or enable user namespaces.");
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}

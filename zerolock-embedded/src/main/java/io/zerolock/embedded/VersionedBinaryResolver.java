package io.zerolock.embedded;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the archive of one major version among the bundled ones, or downloads it (once) when this build
 * does not bundle that version. A record, so that zonky's cache of
 * unpacked binaries (keyed by resolver) keeps one entry per version.
 */
record VersionedBinaryResolver(int major) implements PgBinaryResolver {

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        String resource = BundledPostgres.archiveResource(major, system, machineHardware);
        InputStream archive = VersionedBinaryResolver.class.getResourceAsStream(resource);
        if (archive == null && !BundledPostgres.releases().containsKey(major)) {
            return java.nio.file.Files.newInputStream(DownloadedPostgres.fetch(major).archive());
        }
        if (archive == null) {
            throw new EmbeddedPostgresException("no bundled PostgreSQL " + major + " binaries for " + system + "/"
                    + machineHardware + " (looked for " + resource + "); this build of zerolock bundles binaries "
                    + "only for the platform it was built on: rebuild it on this machine with ./mvnw package");
        }
        return archive;
    }
}

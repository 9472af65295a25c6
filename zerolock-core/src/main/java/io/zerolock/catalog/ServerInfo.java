package io.zerolock.catalog;

/**
 * The server zerolock is talking to.
 *
 * @param versionNum {@code server_version_num}, e.g. 140005
 * @param version {@code server_version}, e.g. {@code 14.5}
 */
public record ServerInfo(int versionNum, String version, boolean inRecovery, String database, String currentUser,
        boolean superuser, String fullVersion) {

    public int major() {
        return versionNum >= 100000 ? versionNum / 10000 : versionNum / 100;
    }

    public int minor() {
        return versionNum >= 100000 ? versionNum % 10000 : versionNum % 100;
    }

    /** Whether this server is at least {@code major.minor}. */
    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return major() > wantedMajor || (major() == wantedMajor && minor() >= wantedMinor);
    }
}

package io.zerolock;

/**
 * How to reach the database, as the user gave it, in libpq's terms. Any field may be null (not given).
 *
 * @param dbname a database name, a {@code postgresql://} URI or a {@code key=value} conninfo string
 * @param host host name or address ({@code -h})
 * @param port port ({@code -p}), as text like libpq
 * @param user role name ({@code -U})
 * @param password a password from a prompt or a program, never from a command-line flag
 */
public record ConnectionOptions(String dbname, String host, String port, String user, Secret password) {

    public static ConnectionOptions none() {
        return new ConnectionOptions(null, null, null, null, null);
    }

    public static ConnectionOptions ofDbname(String dbname) {
        return new ConnectionOptions(dbname, null, null, null, null);
    }

    public ConnectionOptions withPassword(Secret newPassword) {
        return new ConnectionOptions(dbname, host, port, user, newPassword);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[dbname=" + io.zerolock.connect.Redaction.redact(dbname) + ", host=" + host
                + ", port=" + port + ", user=" + user + ", password=" + (password == null ? "null" : "***") + "]";
    }
}

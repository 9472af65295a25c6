package io.zerolock.embedded;

/** A scratch PostgreSQL server could not be started or used; the message says why and what to do. */
public class EmbeddedPostgresException extends RuntimeException {

    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}

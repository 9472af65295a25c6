package io.zerolock;

/**
 * The one exception family of zerolock. The message says what happened and what to do; it never holds
 * a password.
 */
public class ZerolockException extends RuntimeException {

    private final ErrorCode code;

    public ZerolockException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ZerolockException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}

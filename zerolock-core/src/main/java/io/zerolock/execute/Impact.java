package io.zerolock.execute;

/**
 * How long others had to wait for zerolock during one operation: sessions whose lock requests were
 * blocked by one of zerolock's backends, seen by sampling every 150 ms.
 *
 * @param blockedSessions distinct waits (a session waiting twice counts twice)
 * @param maxWaitMillis the longest single wait
 * @param totalWaitMillis all waits added up
 * @param step the step during which the longest wait happened, or null when nobody waited
 */
public record Impact(int blockedSessions, long maxWaitMillis, long totalWaitMillis, String step) {

    public static Impact none() {
        return new Impact(0, 0, 0, null);
    }
}

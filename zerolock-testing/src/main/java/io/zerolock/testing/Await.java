package io.zerolock.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way tests wait: for an observable condition, polled, with a deadline; never for time. A
 * condition that never comes true fails the test with what was awaited.
 */
public final class Await {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private Await() {}

    /** Waits until {@code condition} holds; fails after a minute, naming {@code what}. */
    public static void until(String what, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("never happened within " + DEADLINE.toSeconds() + " s: " + what, e);
        }
    }

    /** Waits until the query (one boolean, on the database) returns true. */
    public static void untilQuery(TestDatabase db, String what, String booleanQuery) {
        until(what, () -> "t".equals(db.queryString(booleanQuery)));
    }
}

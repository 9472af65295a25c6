package io.zerolock.execute;

import io.zerolock.ProgressListener;
import io.zerolock.ZerolockException;
import io.zerolock.connect.Connector;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journaled plan's run watched by the lock monitor, the same for every operation: the monitor (who
 * waits on our locks, the watchdog over concurrent builds, progress) opened on a connection of its own
 * and attached to the executor for the run, what it saw logged as the impact line, the operation's
 * outcome written to the journal. What runs inside is the caller's: a plan, or a file's plans one by one.
 */
public final class WatchedRun {

    private static final Logger log = LoggerFactory.getLogger(WatchedRun.class);

    /** What ran, or what stopped it, and what the monitor saw meanwhile. */
    public record Result<T>(T value, ZerolockException failure, Impact impact, Monitor.Cost cost) {
        public boolean failed() {
            return failure != null;
        }
    }

    private final Connector connector;
    private final Watchdog watchdog;
    private final ProgressListener progress;

    public WatchedRun(Connector connector, Watchdog watchdog, ProgressListener progress) {
        this.connector = connector;
        this.watchdog = watchdog;
        this.progress = progress;
    }

    /**
     * Runs {@code body} with the executor watched; a {@link ZerolockException} it throws is returned as the
     * failure, with the impact up to then. The impact line names the run by {@code key=subject}.
     *
     * @param workPid the backend whose locks are watched
     * @param ourPids our own backends, never counted as waiting on us
     */
    public <T> Result<T> run(Executor executor, int workPid, int[] ourPids, String key, String subject,
            Supplier<T> body) {
        T value = null;
        ZerolockException failure = null;
        Impact impact;
        Monitor.Cost cost;
        try (Monitor monitor = new Monitor(connector.open("monitor"), workPid, ourPids, watchdog, subject,
                progress)) {
            executor.watchedBy(monitor);
            try {
                value = body.get();
            } catch (ZerolockException e) {
                failure = e;
            } finally {
                executor.watchedBy(null);
            }
            impact = monitor.impact();
            cost = monitor.cost();
        }
        log.atInfo().setMessage("impact").addKeyValue(key, subject)
                .addKeyValue("blocked_sessions", impact.blockedSessions())
                .addKeyValue("max_wait_ms", impact.maxWaitMillis())
                .addKeyValue("total_wait_ms", impact.totalWaitMillis())
                .addKeyValue("step", impact.step() == null ? "-" : impact.step())
                .addKeyValue("monitor_samples", cost.samples()).addKeyValue("monitor_query_ms", cost.queryMillis())
                .log();
        return new Result<>(value, failure, impact, cost);
    }

    /** The journal's word for how a failed run ended: a Ctrl-C or stop is an interruption, the rest failed. */
    public static String outcomeOf(ZerolockException failure) {
        return failure.code() == io.zerolock.ErrorCode.INTERRUPTED ? "interrupted" : "failed";
    }
}

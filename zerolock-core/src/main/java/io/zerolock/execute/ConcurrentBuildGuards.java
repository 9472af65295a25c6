package io.zerolock.execute;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every run that builds concurrently checks and sets first: old transactions, a client that dies. */
public final class ConcurrentBuildGuards {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentBuildGuards.class);

    private ConcurrentBuildGuards() {}

    /**
     * PostgreSQL 14+ can check, during a long statement, that the client is still there: if zerolock is
     * killed mid-build, its build stops within seconds instead of running to the end for nobody.
     */
    public static void stopWhenClientDies(Connection work, int major) {
        if (major < 14) {
            return;
        }
        try (Statement statement = work.createStatement()) {
            statement.execute("SET client_connection_check_interval = '2s'");
        } catch (SQLException e) {
            log.atDebug().setMessage("client_connection_check_interval not available")
                    .addKeyValue("reason", e.getMessage()).log();
        }
    }

    /**
     * Concurrent builds wait for every older transaction: say so before starting, or, with a
     * {@code maxTransactionAge}, refuse while one older than it is open.
     */
    public static void checkOldTransactions(Connection connection, Duration maxTransactionAge) {
        Duration threshold = maxTransactionAge != null ? maxTransactionAge : Duration.ofMinutes(1);
        List<String> old = new ArrayList<>();
        try (var statement = connection.prepareStatement("""
                SELECT 'pid=' || pid || ' application_name=' || coalesce(nullif(application_name, ''), '-')
                       || ' user=' || coalesce(usename::text, '-') || ' state="' || coalesce(state, '-')
                       || '" xact_age_s=' || (extract(epoch FROM clock_timestamp() - xact_start))::bigint
                       || ' query="' || left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 120) || '"'
                FROM pg_stat_activity
                WHERE xact_start < clock_timestamp() - make_interval(secs => ?) AND pid <> pg_backend_pid()
                  AND datname = current_database()
                ORDER BY xact_start
                """)) {
            statement.setDouble(1, threshold.toMillis() / 1000.0);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    old.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new ZerolockException(ErrorCode.OPERATION_FAILED, "cannot list transactions: " + e.getMessage(), e);
        }
        if (old.isEmpty()) {
            return;
        }
        if (maxTransactionAge != null) {
            throw new ZerolockException(ErrorCode.REFUSED, "refused, nothing was changed: transactions older than "
                    + "--max-xact-age " + threshold.toSeconds() + "s are open, and a concurrent build would wait for "
                    + "them: " + String.join("; ", old));
        }
        old.forEach(transaction -> log.atWarn().setMessage("an old transaction is open; concurrent builds wait for it")
                .addKeyValue("session", transaction).log());
    }
}

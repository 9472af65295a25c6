package io.zerolock.flyway;

import io.zerolock.queue.Queue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flyway migration that hands its index builds to zerolock's async queue instead of running them: its
 * {@code CREATE INDEX}, {@code DROP INDEX} and {@code VALIDATE CONSTRAINT} statements are checked and queued
 * (all or none), and {@code zerolock worker} builds them later, in its window, through the gate. A later
 * migration with the same {@code CREATE INDEX} is then a no-op under {@code zerolock apply}; under Flyway, write
 * it {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} and gate the deploy on {@code zerolock queue status
 * --require}.
 *
 * <pre>
 * public class V42__async_indexes extends QueueMigration {
 *     public V42__async_indexes() {
 *         super("CREATE INDEX orders_created_at_idx ON orders (created_at)");
 *     }
 * }
 * </pre>
 *
 * The queue lives in {@code flyway.zerolock.stateSchema} ({@code zerolock} by default).
 */
public abstract class QueueMigration extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(QueueMigration.class);

    private final String sql;

    /** @param sql the statements to queue, as a migration file would have them */
    protected QueueMigration(String sql) {
        this.sql = sql;
    }

    /** The statements of a resource on the class path, e.g. {@code db/async/V42__async_indexes.sql}. */
    protected static String resource(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new FlywayException("zerolock: no resource " + path + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queueing writes to the state schema in short statements of its own: no transaction around them. */
    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) {
        String stateSchema = ZerolockCallback.settings(context.getConfiguration()).getStateSchema();
        try (Queue queue = Queue.on(context.getConnection(), stateSchema)) {
            Queue.AddResult added = queue.add(getClass().getSimpleName(), sql, false, Queue.DEFAULT_MAX_ATTEMPTS);
            added.additions().forEach(addition -> log.info("zerolock: {} {} ({}): {}", addition.item()
                    .qualifiedName(), addition.added().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                    addition.item().state().id(), addition.item().definition()));
            added.skipped().forEach(line -> log.warn("zerolock: {}", line));
        } catch (io.zerolock.ZerolockException e) {
            throw new FlywayException("zerolock: " + e.getMessage(), e);
        }
    }
}

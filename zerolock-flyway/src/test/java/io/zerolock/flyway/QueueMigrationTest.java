package io.zerolock.flyway;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.ConnectionOptions;
import io.zerolock.Zerolock;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.queue.ItemState;
import io.zerolock.queue.Queue;
import io.zerolock.queue.QueueRunner;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Timeout;

/** A Flyway migration handed to the async queue: queued by Flyway, built by the worker, then a no-op. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QueueMigrationTest {

    private static Flyway flyway(TestDatabase db, Path dir) {
        return Flyway.configure().configuration(Map.of(
                "flyway.url", "jdbc:postgresql://localhost:" + db.port() + "/" + db.name(),
                "flyway.user", "postgres",
                // concurrent builds need Flyway's session lock (its transactional one would make them wait forever)
                "flyway.postgresql.transactional.lock", "false",
                "flyway.locations", "filesystem:" + dir.toAbsolutePath() + ",classpath:io/zerolock/flyway/queued"))
                .callbacks(new ZerolockCallback()).load();
    }

    @PostgresTest
    void a_queue_migration_queues_its_index_for_the_worker_instead_of_building_it(TestDatabase db) throws Exception {
        Path dir = Files.createTempDirectory("zerolock-flyway-queue-" + db.name());
        Files.writeString(dir.resolve("V1__init.sql"), """
                CREATE TABLE accounts (id int PRIMARY KEY, email text);
                INSERT INTO accounts SELECT g, 'a' || g FROM generate_series(1, 2000) g;
                """);
        flyway(db, dir).migrate();
        assertThat(db.queryString("SELECT state || ' ' || name FROM zerolock.queue"))
                .isEqualTo("queued accounts_email_idx");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'accounts_email_idx'")).isZero();
        assertThat(db.queryString("SELECT success::text FROM flyway_schema_history WHERE version = '2'"))
                .isEqualTo("true");

        try (Zerolock zerolock = Zerolock.connect(ConnectionResolver.forThisProcess().resolve(
                ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + db.port() + "/" + db.name())));
                Queue queue = zerolock.queue("zerolock")) {
            assertThat(zerolock.runQueue(queue, null, ReindexOptions.defaults(), progress -> { }, Clock.systemUTC()))
                    .singleElement().extracting(QueueRunner.Outcome::status).isEqualTo(QueueRunner.Status.DONE);
            assertThat(queue.list()).singleElement().extracting(item -> item.state()).isEqualTo(ItemState.DONE);
        }
        // the later migration: the index is there, IF NOT EXISTS makes it a no-op under Flyway
        Files.writeString(dir.resolve("V3__use_index.sql"),
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_idx ON accounts (email);\n");
        flyway(db, dir).migrate();
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(3);
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();
    }
}

package io.zerolock.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.ConnectionOptions;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.connect.Connector;
import io.zerolock.embedded.EmbeddedPostgresServer;
import io.zerolock.execute.Backfill;
import io.zerolock.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real primary and a hot standby streaming from it: a backfill pauses while the standby falls behind
 * (its replay paused here), says so, and goes on once the standby has caught up.
 */
class BackfillReplicaLagTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {11, 18})
    void a_backfill_pauses_while_a_standby_is_behind_and_goes_on_when_it_catches_up(int major) throws Exception {
        EmbeddedPostgresServer[] pair = EmbeddedPostgresServer.startWithStandby(major);
        try (EmbeddedPostgresServer primary = pair[0]; EmbeddedPostgresServer standby = pair[1]) {
            String database = primary.createDatabase("zl_lag");
            try (Connection connection = primary.connect(database); Statement sql = connection.createStatement()) {
                sql.execute("CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL)");
                sql.execute("INSERT INTO items SELECT g, g FROM generate_series(1, 20000) g");
            }
            Await.until("the standby streams and has replayed everything", () -> single(primary, database,
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' "
                            + "AND replay_lsn = pg_current_wal_lsn()").equals("1"));
            single(standby, "postgres", "SELECT pg_wal_replay_pause()");

            Connector connector = new Connector(new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody")
                    .resolve(ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + primary.port() + "/"
                            + database)));
            ApplyOptions options = ApplyOptions.defaults().withThrottle(new Backfill.Throttle(Duration.ofMillis(20),
                    Duration.ofSeconds(10), 64 * 1024, Duration.ofMinutes(10)));
            CompletableFuture<List<ApplyOutcome>> applied = CompletableFuture.supplyAsync(() -> new Applier(connector,
                    options).run(List.of(ApplyTest.file("V2__double.sql", "UPDATE items SET v = v * 2;")), false));
            Await.until("the backfill says it paused for the standby", () -> {
                try {
                    return Long.parseLong(single(primary, database, "SELECT count(*) FROM zerolock.step WHERE note "
                            + "LIKE 'paused: a standby has % bytes of WAL left to replay%'")) > 0;
                } catch (IllegalStateException journalNotMadeYet) {
                    return false;
                }
            });
            assertThat(Long.parseLong(single(primary, database, "SELECT count(*) FROM items WHERE v = id * 2")))
                    .as("some batches ran before the standby fell behind, not all").isLessThan(20000);

            single(standby, "postgres", "SELECT pg_wal_replay_resume()");
            assertThat(applied.get().get(0).status()).isEqualTo(ApplyOutcome.Status.APPLIED);
            assertThat(single(primary, database, "SELECT count(*) FROM items WHERE v <> id * 2")).isEqualTo("0");
        }
    }

    private static String single(EmbeddedPostgresServer server, String database, String query) {
        try (Connection connection = server.connect(database); Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

package io.zerolock.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.ConnectionOptions;
import io.zerolock.ConnectionTarget;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.reindex.ReindexOptions;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** Two workers on one database: the one holding the lease works; the other leaves, naming it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkerLeaseTest {

    @PostgresTest
    void a_second_worker_leaves_the_database_to_the_one_holding_its_lease(TestDatabase db) throws Exception {
        ConnectionTarget target = new ConnectionResolver(Map.of(), Path.of("/nonexistent"), "nobody").resolve(
                ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + db.port() + "/" + db.name()));
        Worker.Settings settings = new Worker.Settings(Selection.Criteria.defaults(), null, ReindexOptions.defaults());
        try (Connection first = db.connect()) {
            String[] holder = new String[1];
            Optional<WorkerLease> lease = WorkerLease.take(first, "zerolock", holder);
            assertThat(lease).isPresent();
            try (Connection other = db.connect()) {
                assertThat(WorkerLease.take(other, "zerolock", holder)).isEmpty();
                assertThat(holder[0]).contains("pid " + pid(first));
                // another state schema is another fleet's business
                Optional<WorkerLease> elsewhere = WorkerLease.take(other, "ops_zerolock", holder);
                assertThat(elsewhere).isPresent();
                elsewhere.get().close();
            }
            Worker.Pass second = Worker.once(db.name(), target, settings);
            assertThat(second.status()).isEqualTo(Worker.Status.LEASED);
            assertThat(second.message()).contains("another worker holds the lease: pid " + pid(first));
            lease.get().close();
        }
        assertThat(Worker.once(db.name(), target, settings).status()).isEqualTo(Worker.Status.DONE);
        // a worker that dies frees the lease with its session
        try (Connection dying = db.connect()) {
            assertThat(WorkerLease.take(dying, "zerolock", new String[1])).isPresent();
        }
        assertThat(Worker.once(db.name(), target, settings).status()).isEqualTo(Worker.Status.DONE);
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement sql = connection.createStatement(); ResultSet rows = sql.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Writers and readers run throughout a rebuild of a referenced primary key: nothing fails, nothing is lost. */
class ReindexUnderTrafficTest {

    @PostgresTest
    void no_application_statement_fails_and_no_row_is_lost(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE parent (id int PRIMARY KEY, touched int NOT NULL DEFAULT 0);
                INSERT INTO parent (id) SELECT generate_series(1, 20000);
                CREATE TABLE child (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent);
                CREATE INDEX child_parent ON child (parent_id);
                """);
        List<String> before = CatalogFingerprint.of(db, "public");
        for (Strategy strategy : Strategy.values()) {
            if (strategy == Strategy.NATIVE && db.majorVersion() < 12) {
                continue;
            }
            long childrenBefore = db.queryLong("SELECT count(*) FROM child");
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong inserted = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                threads.add(started(() -> write(db, running, inserted, failures)));
            }
            threads.add(started(() -> read(db, running, reads, failures)));
            io.zerolock.testing.Await.until("the writers and the reader are under way",
                    () -> inserted.get() >= 3 && reads.get() > 0);
            long writesBefore = inserted.get();
            long readsBefore = reads.get();
            List<ReindexOutcome> outcomes = new Reindexer(Databases.connector(db),
                    ReindexOptions.defaults().withStrategy(strategy)).run(ReindexRequest.indexes("parent_pkey"), false);
            long writesDuring = inserted.get() - writesBefore;
            long readsDuring = reads.get() - readsBefore;
            long writesAfter = inserted.get();
            io.zerolock.testing.Await.until("writes go on after the rebuild", () -> inserted.get() > writesAfter + 3);
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(outcomes.get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
            assertThat(failures).as(strategy.id()).isEmpty();
            assertThat(writesDuring).as(strategy.id() + ": writes committed while the rebuild ran").isPositive();
            assertThat(readsDuring).as(strategy.id() + ": reads while the rebuild ran").isPositive();
            assertThat(db.queryLong("SELECT count(*) FROM child")).isEqualTo(childrenBefore + inserted.get());
            assertThat(db.queryLong("SELECT count(*) FROM child c LEFT JOIN parent p ON p.id = c.parent_id "
                    + "WHERE p.id IS NULL")).isZero();
            assertThat(CatalogFingerprint.of(db, "public")).as(strategy.id()).containsExactlyElementsOf(before);
        }
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static void write(TestDatabase db, AtomicBoolean running, AtomicLong inserted,
            ConcurrentLinkedQueue<String> failures) {
        try (Connection connection = db.connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE parent SET touched = touched + 1 WHERE id = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO child (parent_id) VALUES (?)")) {
            connection.setAutoCommit(false);
            while (running.get()) {
                int id = ThreadLocalRandom.current().nextInt(1, 20001);
                try {
                    update.setInt(1, id);
                    update.executeUpdate();
                    insert.setInt(1, id);
                    insert.executeUpdate();
                    connection.commit();
                    inserted.incrementAndGet();
                } catch (Exception e) {
                    failures.add("write: " + e.getMessage());
                    connection.rollback();
                }
            }
        } catch (Exception e) {
            failures.add("writer: " + e.getMessage());
        }
    }

    private static void read(TestDatabase db, AtomicBoolean running, AtomicLong reads,
            ConcurrentLinkedQueue<String> failures) {
        try (Connection connection = db.connect();
                PreparedStatement select = connection.prepareStatement("SELECT touched FROM parent WHERE id = ?")) {
            while (running.get()) {
                try {
                    select.setInt(1, ThreadLocalRandom.current().nextInt(1, 20001));
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                    }
                    reads.incrementAndGet();
                } catch (Exception e) {
                    failures.add("read: " + e.getMessage());
                }
            }
        } catch (Exception e) {
            failures.add("reader: " + e.getMessage());
        }
    }
}

package io.zerolock.altertype;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An integer primary key referenced by a foreign key becomes bigint while writers insert, update and delete
 * parents and children and a reader reads parents by key: no application statement fails, no write is
 * lost (every row's new value is its old one, rows written meanwhile included), and no session waits on
 * zerolock's locks longer than the lock timeout.
 */
class AlterTypeUnderTrafficTest {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong parentsInserted = new AtomicLong();
    private final AtomicLong childrenInserted = new AtomicLong();
    private final AtomicLong childrenDeleted = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    @PostgresTest(versions = {14, 18})
    void no_application_statement_fails_and_no_write_is_lost(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE parent (id serial PRIMARY KEY, touched int NOT NULL DEFAULT 0);
                INSERT INTO parent (touched) SELECT 0 FROM generate_series(1, 20000);
                CREATE TABLE child (id bigserial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent ON DELETE CASCADE);
                INSERT INTO child (parent_id) SELECT 1 + g % 20000 FROM generate_series(1, 40000) g;
                """);
        long parentsBefore = db.queryLong("SELECT count(*) FROM parent");
        long childrenBefore = db.queryLong("SELECT count(*) FROM child");
        Duration lockTimeout = Duration.ofMillis(500);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(started(() -> write(db)));
        }
        threads.add(started(() -> read(db)));
        AlterTypeOutcome outcome;
        long writesDuring;
        try {
            while (childrenInserted.get() < 50 || reads.get() < 50) {
                Thread.onSpinWait(); // the application is up before the change starts
            }
            long before = childrenInserted.get();
            outcome = new AlterTyper(AlterTypeTest.connector(db), AlterTypeOptions.defaults().withLocks(lockTimeout, 20))
                    .alter("parent.id", "bigint", null, false);
            writesDuring = childrenInserted.get() - before;
            long after = childrenInserted.get();
            while (childrenInserted.get() < after + 50) {
                Thread.onSpinWait(); // and goes on after it
            }
        } finally {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(outcome.status()).isEqualTo(AlterTypeOutcome.Status.DONE);
        assertThat(writesDuring).as("writes committed while the type changed").isPositive();
        assertThat(outcome.impact().maxWaitMillis()).as("the longest wait on zerolock's locks")
                .isLessThan(lockTimeout.toMillis() + 1000);
        assertThat(db.queryLong("SELECT count(*) FROM parent")).isEqualTo(parentsBefore + parentsInserted.get());
        assertThat(db.queryLong("SELECT count(*) FROM child"))
                .isEqualTo(childrenBefore + childrenInserted.get() - childrenDeleted.get());
        assertThat(db.queryLong("SELECT count(*) FROM parent WHERE id_retired IS NOT NULL AND id <> id_retired"))
                .as("every row's new value is its old one").isZero();
        assertThat(db.queryLong("SELECT count(*) FROM parent WHERE id IS NULL")).isZero();
        assertThat(db.queryLong("SELECT sum(touched) FROM parent")).as("every update kept")
                .isEqualTo(childrenInserted.get());
        assertThat(db.queryString("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM "
                + "pg_constraint WHERE conrelid IN ('parent'::regclass, 'child'::regclass) AND contype IN ('p', 'f')"))
                .isEqualTo("child_parent_id_fkey:true,child_pkey:true,parent_pkey:true");
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body, "traffic");
        thread.start();
        return thread;
    }

    /** A new parent now and then, an update of a parent and a child of it, a child deleted now and then. */
    private void write(TestDatabase db) {
        try (Connection connection = db.connect();
                PreparedStatement newParent = connection.prepareStatement("INSERT INTO parent (touched) VALUES (0)");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE parent SET touched = touched + 1 WHERE id = (SELECT max(id) FROM parent) - ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO child (parent_id) "
                        + "SELECT id FROM parent WHERE id = (SELECT max(id) FROM parent) - ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM child WHERE id = (SELECT min(id) "
                        + "FROM child) + ?")) {
            connection.setAutoCommit(false);
            while (running.get()) {
                int back = ThreadLocalRandom.current().nextInt(0, 15000);
                try {
                    boolean parent = ThreadLocalRandom.current().nextInt(10) == 0;
                    if (parent) {
                        newParent.executeUpdate();
                    }
                    update.setInt(1, back);
                    int updated = update.executeUpdate();
                    insert.setInt(1, back);
                    int children = insert.executeUpdate();
                    int deleted = 0;
                    if (ThreadLocalRandom.current().nextInt(5) == 0) {
                        delete.setInt(1, ThreadLocalRandom.current().nextInt(0, 1000));
                        deleted = delete.executeUpdate();
                    }
                    connection.commit();
                    if (updated != children) {
                        failures.add("an update and its child insert saw different parents");
                    }
                    parentsInserted.addAndGet(parent ? 1 : 0);
                    childrenInserted.addAndGet(children);
                    childrenDeleted.addAndGet(deleted);
                } catch (Exception e) {
                    failures.add("write: " + e.getMessage());
                    connection.rollback();
                }
            }
        } catch (Exception e) {
            failures.add("writer: " + e.getMessage());
        }
    }

    private void read(TestDatabase db) {
        try (Connection connection = db.connect();
                PreparedStatement select = connection.prepareStatement("SELECT touched FROM parent WHERE id = ?")) {
            while (running.get()) {
                try {
                    select.setInt(1, ThreadLocalRandom.current().nextInt(1, 20000));
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

package io.zerolock.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application on {@code parent(id, touched)} and {@code child(parent_id)}: writers that update a parent
 * and insert a child in one transaction, and a reader of parents, ids 1 to {@code maxId}; every failure is
 * kept. Closing it stops them and waits for them.
 */
public final class Traffic implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    private Traffic(TestDatabase db, int writers, int maxId) {
        for (int i = 0; i < writers; i++) {
            threads.add(started(() -> write(db, maxId)));
        }
        threads.add(started(() -> read(db, maxId)));
        Await.until("the writers and the reader are under way", () -> inserted.get() >= writers && reads.get() > 0);
    }

    /** Starts the writers and the reader, and returns once each has done something. */
    public static Traffic start(TestDatabase db, int writers, int maxId) {
        return new Traffic(db, writers, maxId);
    }

    /** Children inserted (each with its parent updated) so far. */
    public long inserted() {
        return inserted.get();
    }

    public long reads() {
        return reads.get();
    }

    /** What failed, by statement: an application error the operation caused. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits until a few more writes have committed: the application goes on after the operation too. */
    public void awaitMoreWrites() {
        long now = inserted.get();
        Await.until("writes go on", () -> inserted.get() > now + 3);
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops the writers and the reader and waits for them; what they did stays readable. */
    public void stop() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the traffic", e);
            }
        }
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body, "traffic");
        thread.start();
        return thread;
    }

    private void write(TestDatabase db, int maxId) {
        try (Connection connection = db.connect();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE parent SET touched = touched + 1 WHERE id = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO child (parent_id) VALUES (?)")) {
            connection.setAutoCommit(false);
            while (running.get()) {
                int id = ThreadLocalRandom.current().nextInt(1, maxId + 1);
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

    private void read(TestDatabase db, int maxId) {
        try (Connection connection = db.connect();
                PreparedStatement select = connection.prepareStatement("SELECT touched FROM parent WHERE id = ?")) {
            while (running.get()) {
                try {
                    select.setInt(1, ThreadLocalRandom.current().nextInt(1, maxId + 1));
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

package io.zerolock.cli.load;

import io.zerolock.ConnectionTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application-like load with a fixed-rate, open-loop schedule: transactions are due at fixed
 * intervals whatever happened to the previous ones, and wait in a queue for one of a small pool of
 * connections, so a lock that stalls the pool shows as latency, as it would for real users.
 *
 * <p>Writes update a parent row and insert a child referencing it, in one transaction; reads fetch a
 * parent row by primary key (see {@link Workload}).
 */
public final class LoadGenerator implements AutoCloseable {

    private final Workload workload;
    private final int ratePerSecond;
    private final double writeFraction;
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Long> due = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public LoadGenerator(ConnectionTarget target, Workload workload, int ratePerSecond, int connections,
            double writeFraction) throws SQLException {
        ConnectionTarget load = target.withApplicationName("zerolock-load");
        this.workload = workload;
        this.ratePerSecond = ratePerSecond;
        this.writeFraction = writeFraction;
        List<Connection> pool = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                pool.add(DriverManager.getConnection(load.jdbcUrl(), load.jdbcProperties()));
            }
        } catch (SQLException e) {
            for (Connection opened : pool) {
                opened.close();
            }
            throw e;
        }
        for (Connection connection : pool) {
            threads.add(start("load-worker", () -> work(connection)));
        }
        threads.add(start("load-schedule", this::schedule));
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    private void schedule() {
        long interval = 1_000_000_000L / ratePerSecond;
        long next = System.nanoTime();
        while (running.get()) {
            long now = System.nanoTime();
            while (next <= now) {
                due.add(next);
                next += interval;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(100_000, next - System.nanoTime()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void work(Connection connection) {
        try (connection;
                PreparedStatement update = connection.prepareStatement(
                        workload.update());
                PreparedStatement insert = connection.prepareStatement(
                        workload.insert());
                PreparedStatement select = connection.prepareStatement(
                        workload.select())) {
            while (running.get() || !due.isEmpty()) {
                Long scheduled = due.poll(100, TimeUnit.MILLISECONDS);
                if (scheduled == null) {
                    continue;
                }
                long id = workload.idStep() * ThreadLocalRandom.current()
                        .nextLong(1, Math.max(2, workload.maxId() / workload.idStep() + 1));
                boolean write = ThreadLocalRandom.current().nextDouble() < writeFraction;
                boolean failed = false;
                try {
                    if (write) {
                        connection.setAutoCommit(false);
                        update.setLong(1, id);
                        update.executeUpdate();
                        insert.setLong(1, id);
                        insert.executeUpdate();
                        connection.commit();
                    } else {
                        connection.setAutoCommit(true);
                        select.setLong(1, id);
                        try (ResultSet rows = select.executeQuery()) {
                            rows.next();
                        }
                    }
                } catch (SQLException e) {
                    failed = true;
                    try {
                        connection.rollback();
                    } catch (SQLException ignored) {
                        // the connection is broken; the next transaction will fail too and be counted
                    }
                }
                samples.add(new Sample(scheduled, System.nanoTime(), write, failed));
                if (!running.get()) {
                    due.clear();
                }
            }
        } catch (SQLException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

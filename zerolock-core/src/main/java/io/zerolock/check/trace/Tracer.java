package io.zerolock.check.trace;

import io.zerolock.SqlState;
import io.zerolock.check.Checker;
import io.zerolock.check.lex.Splitter;
import io.zerolock.check.recognize.Recognized;
import io.zerolock.check.recognize.Recognizer;
import io.zerolock.plan.LockMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Replays migrations on a scratch database, statement by statement, and records what each really did to
 * the relations that existed before it: the locks its backend held (from {@code pg_locks}), the
 * relations it rewrote ({@code relfilenode} changed), the tables it scanned in full while holding SHARE
 * or stronger (the transaction's own scan counters), and the strong locks earlier statements of the same
 * transaction still held. A statement outside a transaction block runs inside one of the tracer's own,
 * so its locks can be read before they are released; one that cannot run in a transaction block
 * (SQLSTATE 25001) runs again outside, its locks sampled from a second connection.
 */
public final class Tracer {

    /** A lock on a relation, e.g. {@code ACCESS EXCLUSIVE on public.orders}. */
    public record Lock(String relation, LockMode mode) {
        @Override
        public String toString() {
            return mode.sql() + " on " + relation;
        }

        /** SHARE or stronger: blocks writes, or reads too. */
        public boolean blocksWrites() {
            return mode.blocksApplication();
        }
    }

    public enum Outcome { RAN, FAILED, SKIPPED }

    /** How a statement skipped because the database has what it makes starts its reason. */
    public static final String ALREADY_THERE = "already there: ";

    /** What one statement did on the server. */
    public record Traced(String file, int line, String statementText, Outcome outcome, String error, boolean outsideTransaction,
            List<Lock> locks, List<Lock> heldFromEarlier, List<String> rewritten, List<String> scanned, long millis) {

        public Traced {
            locks = List.copyOf(locks);
            heldFromEarlier = List.copyOf(heldFromEarlier);
            rewritten = List.copyOf(rewritten);
            scanned = List.copyOf(scanned);
        }

        /** The strongest lock taken, or null. */
        public Lock strongest() {
            Lock strongest = null;
            for (Lock lock : locks) {
                if (strongest == null || lock.mode().compareTo(strongest.mode()) > 0) {
                    strongest = lock;
                }
            }
            return strongest;
        }
    }


    private static final String RELATIONS = """
            SELECT c.oid, c.relfilenode, quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relkind
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
              AND n.nspname NOT LIKE 'pg\\_temp%' AND c.relkind IN ('r', 'm', 'i', 'p', 'I', 't')
            """;

    private final Connection connection;
    private final Supplier<Connection> sampler;

    /**
     * @param connection to the scratch database, autocommit
     * @param sampler opens a second connection to it, for statements that run outside a transaction
     */
    public Tracer(Connection connection, Supplier<Connection> sampler) {
        this.connection = connection;
        this.sampler = sampler;
    }

    /**
     * The session time zone each file starts with, as in production: never the JVM's (the driver would
     * send that). Unknown, it is a zone that is not UTC, as the static check assumes.
     */
    public static final String UNKNOWN_TIME_ZONE = "America/New_York";

    private String timeZone = UNKNOWN_TIME_ZONE;

    /** @param zone the production session's time zone; null: unknown */
    public Tracer withTimeZone(String zone) {
        this.timeZone = zone == null ? UNKNOWN_TIME_ZONE : zone;
        return this;
    }

    public List<Traced> trace(List<Checker.Source> sources) throws SQLException {
        List<Traced> traced = new ArrayList<>();
        for (Checker.Source source : sources) {
            try (java.sql.PreparedStatement zone = connection.prepareStatement("SELECT set_config('TimeZone', ?, "
                    + "false)")) {
                zone.setString(1, timeZone);
                zone.execute();
            }
            // what this file creates is new and empty within it: only what existed before it counts
            Set<Long> existing = relations().keySet();
            boolean userTransaction = false;
            boolean broken = false;
            for (Splitter.Statement statement : Splitter.split(source.file(), source.sql()).statements()) {
                Recognized recognized = Recognizer.recognize(statement);
                if (recognized instanceof Recognized.Commit || recognized instanceof Recognized.Rollback) {
                    if (!broken) {
                        traced.add(runPlain(statement));
                    } else {
                        traced.add(skipped(statement, "the transaction was already rolled back"));
                    }
                    userTransaction = false;
                    broken = false;
                    continue;
                }
                if (broken) {
                    traced.add(skipped(statement, "an earlier statement of this transaction failed"));
                    continue;
                }
                if (recognized instanceof Recognized.Begin) {
                    Traced begin = runPlain(statement);
                    traced.add(begin);
                    userTransaction = begin.outcome() == Outcome.RAN;
                    continue;
                }
                if (!userTransaction && (recognized instanceof Recognized.CreateIndex
                        || recognized instanceof Recognized.AlterTable)) {
                    // what the database has already, exactly so (the async queue built it): zerolock apply
                    // skips the statement, so it is not run here either
                    io.zerolock.queue.LaterMigration.Check later = io.zerolock.queue.LaterMigration.of(
                            new io.zerolock.catalog.CatalogReader(connection), null, statement.text());
                    if (later.found() == io.zerolock.queue.LaterMigration.Found.THERE) {
                        traced.add(skipped(statement, ALREADY_THERE + later.why() + "; zerolock apply skips it"));
                        continue;
                    }
                }
                Traced result = traceOne(statement, userTransaction, existing);
                traced.add(result);
                if (userTransaction && result.outcome() == Outcome.FAILED) {
                    rollbackQuietly();
                    broken = true;
                }
            }
            if (userTransaction) {
                rollbackQuietly(); // a file that leaves its transaction open: do not carry it into the next
            }
        }
        return traced;
    }

    private Traced traceOne(Splitter.Statement statement, boolean userTransaction, Set<Long> existing)
            throws SQLException {
        Map<Long, Relation> before = relations();
        before.keySet().retainAll(existing);
        long started = System.nanoTime();
        if (!userTransaction) {
            execute("BEGIN");
        }
        Set<Lock> locksBefore = userTransaction ? locks(before) : Set.of();
        Map<Long, Long> scansBefore = scans(before);
        try {
            execute(statement.text());
        } catch (SQLException e) {
            if (!userTransaction) {
                rollbackQuietly();
                if (SqlState.ACTIVE_SQL_TRANSACTION.equals(e.getSQLState())) {
                    return outside(statement, before);
                }
            }
            return new Traced(statement.file(), statement.line(), statement.text(), Outcome.FAILED, e.getMessage(), false, List.of(),
                    List.of(), List.of(), List.of(), millisSince(started));
        }
        Set<Lock> locksAfter = locks(before);
        Map<Long, Long> scansAfter = scans(before);
        if (!userTransaction) {
            execute("COMMIT");
        }
        long millis = millisSince(started);
        List<Lock> taken = strongestPerRelation(locksAfter.stream().filter(lock -> !locksBefore.contains(lock)).toList());
        List<Lock> held = strongestPerRelation(locksBefore.stream().filter(Lock::blocksWrites).toList());
        List<String> scanned = new ArrayList<>();
        for (Map.Entry<Long, Long> scan : scansAfter.entrySet()) {
            Relation relation = before.get(scan.getKey());
            if (scan.getValue() > scansBefore.getOrDefault(scan.getKey(), 0L) && relation != null
                    && locksAfter.stream().anyMatch(l -> l.relation().equals(relation.name())
                            && l.blocksWrites())) {
                scanned.add(relation.name());
            }
        }
        return new Traced(statement.file(), statement.line(), statement.text(), Outcome.RAN, null, false, taken, held,
                rewritten(before), scanned, millis);
    }

    /** Runs a statement that refuses transaction blocks, sampling its backend's locks from another session. */
    private Traced outside(Splitter.Statement statement, Map<Long, Relation> before) throws SQLException {
        long started = System.nanoTime();
        Set<Lock> sampled = java.util.concurrent.ConcurrentHashMap.newKeySet();
        int pid = backendPid();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread thread = new Thread(() -> sample(pid, before, sampled, running), "zerolock-trace-sampler");
        thread.setDaemon(true);
        thread.start();
        String error = null;
        try {
            execute(statement.text());
        } catch (SQLException e) {
            error = e.getMessage();
        } finally {
            running.set(false);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Traced(statement.file(), statement.line(), statement.text(), error == null ? Outcome.RAN : Outcome.FAILED, error, true,
                strongestPerRelation(List.copyOf(sampled)), List.of(), error == null ? rewritten(before) : List.of(), List.of(),
                millisSince(started));
    }

    private void sample(int pid, Map<Long, Relation> before, Set<Lock> sampled,
            java.util.concurrent.atomic.AtomicBoolean running) {
        try (Connection watcher = sampler.get();
                PreparedStatement query = watcher.prepareStatement("SELECT relation, mode FROM pg_locks "
                        + "WHERE pid = ? AND locktype = 'relation' AND granted")) {
            query.setInt(1, pid);
            while (running.get()) {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Relation relation = before.get(rows.getLong(1));
                        if (relation != null) {
                            sampled.add(new Lock(relation.name(), LockMode.fromPgLocks(rows.getString(2))));
                        }
                    }
                }
                Thread.sleep(2);
            }
        } catch (SQLException | RuntimeException e) {
            // sampling is best effort: a statement too quick to be seen shows no locks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A statement takes several modes on one relation on its way (SHARE, then ACCESS EXCLUSIVE): keep the strongest. */
    static List<Lock> strongestPerRelation(List<Lock> locks) {
        Map<String, Lock> strongest = new LinkedHashMap<>();
        for (Lock lock : locks) {
            strongest.merge(lock.relation(), lock, (a, b) -> a.mode().compareTo(b.mode()) >= 0 ? a : b);
        }
        return List.copyOf(strongest.values());
    }

    private Traced runPlain(Splitter.Statement statement) {
        long started = System.nanoTime();
        try {
            execute(statement.text());
            return new Traced(statement.file(), statement.line(), statement.text(), Outcome.RAN, null, false, List.of(), List.of(),
                    List.of(), List.of(), millisSince(started));
        } catch (SQLException e) {
            return new Traced(statement.file(), statement.line(), statement.text(), Outcome.FAILED, e.getMessage(), false, List.of(),
                    List.of(), List.of(), List.of(), millisSince(started));
        }
    }

    private static Traced skipped(Splitter.Statement statement, String why) {
        return new Traced(statement.file(), statement.line(), statement.text(), Outcome.SKIPPED, why, false, List.of(), List.of(),
                List.of(), List.of(), 0);
    }

    private record Relation(long relfilenode, String name, String kind) {}

    private Map<Long, Relation> relations() throws SQLException {
        Map<Long, Relation> relations = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(RELATIONS)) {
            while (rows.next()) {
                relations.put(rows.getLong(1), new Relation(rows.getLong(2), rows.getString(3), rows.getString(4)));
            }
        }
        return relations;
    }

    /** Relations of {@code before} whose storage was replaced: rewritten (or truncated). */
    private List<String> rewritten(Map<Long, Relation> before) throws SQLException {
        Map<Long, Relation> after = relations();
        List<String> rewritten = new ArrayList<>();
        for (Map.Entry<Long, Relation> relation : before.entrySet()) {
            Relation now = after.get(relation.getKey());
            if (now != null && now.relfilenode() != relation.getValue().relfilenode() && now.relfilenode() != 0) {
                rewritten.add(now.name());
            }
        }
        return rewritten;
    }

    /** This backend's granted locks on the relations of {@code before}. */
    private Set<Lock> locks(Map<Long, Relation> before) throws SQLException {
        Set<Lock> locks = new java.util.LinkedHashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' "
                        + "AND granted")) {
            while (rows.next()) {
                Relation relation = before.get(rows.getLong(1));
                if (relation != null && !relation.kind().equals("i") && !relation.kind().equals("I")) {
                    locks.add(new Lock(relation.name(), LockMode.fromPgLocks(rows.getString(2))));
                }
            }
        }
        return locks;
    }

    /** Sequential scans this transaction has started on each table (pg_stat_get_xact_numscans). */
    private Map<Long, Long> scans(Map<Long, Relation> before) throws SQLException {
        Map<Long, Long> scans = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT c.oid, pg_stat_get_xact_numscans(c.oid) FROM pg_class c WHERE c.relkind IN ('r', 'm', 't') "
                        + "AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)")) {
            while (rows.next()) {
                if (before.containsKey(rows.getLong(1))) {
                    scans.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return scans;
    }

    private int backendPid() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void rollbackQuietly() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // not in a transaction: nothing to roll back
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}

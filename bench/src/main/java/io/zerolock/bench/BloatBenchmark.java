package io.zerolock.bench;

import io.zerolock.bloat.BloatEstimate;
import io.zerolock.bloat.BloatEstimator;
import io.zerolock.catalog.CatalogReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How close bloat estimates come to the truth. Indexes of every access method get known histories (random
 * deletes, updates of indexed columns, a queue's monotonic inserts with old rows deleted, low-cardinality keys
 * that deduplicate, wide and compressible text keys, NULLs, partial, expression and INCLUDE indexes, random
 * UUID inserts); each is estimated by zerolock and, for btree, by the formula of pgsql-bloat-estimation's
 * btree query (re-implemented here from its description: pg_stats widths, a padded header, 90% fill); then
 * REINDEX gives the true size after a rebuild. Reported: each estimate's distance from the true bloat ratio
 * in percentage points, and the share within 5 points (btree) or 10 (others).
 */
public final class BloatBenchmark {

    private static final String SCHEMA = "zerolock_bench";

    public static void main(String[] args) throws Exception {
        BenchRun.main("bench/bloat", args, 1_000_000, 0, "-", BloatBenchmark::run);
    }

    private record Result(String index, String method, String accessMethod, long size, long truth, double truthRatio,
            Double estimate, Double classic) {}

    private static void run(BenchRun bench) throws Exception {
        bench.build(BloatBenchmark::build, String.format("tables of %,d rows with histories", bench.rows()));
        List<Result> results = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(bench.target().jdbcUrl(),
                bench.target().jdbcProperties()); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            CatalogReader catalog = new CatalogReader(connection);
            BloatEstimator estimator = new BloatEstimator(catalog, "zerolock_bench_state");
            List<String[]> indexes = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("SELECT c.oid, c.relname, am.amname FROM pg_class c JOIN "
                    + "pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam WHERE n.nspname = '"
                    + SCHEMA + "' AND c.relkind = 'i' ORDER BY am.amname, c.relname")) {
                while (rows.next()) {
                    indexes.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
                }
            }
            for (String[] index : indexes) {
                long oid = Long.parseLong(index[0]);
                long started = System.nanoTime();
                BloatEstimate estimate = estimator.index(oid).orElseThrow();
                long millis = (System.nanoTime() - started) / 1_000_000;
                Double classic = index[2].equals("btree") ? classicRatio(connection, oid) : null;
                sql.execute("REINDEX INDEX " + SCHEMA + "." + index[1]);
                long truth = size(connection, oid);
                double truthRatio = Math.max(0, estimate.sizeBytes() - truth) / (double) estimate.sizeBytes();
                results.add(new Result(index[1], estimate.method().id(), index[2], estimate.sizeBytes(), truth,
                        truthRatio, estimate.bloatRatio(), classic));
                System.err.printf(Locale.ROOT, "%s: estimated in %d ms%s%n", index[1], millis,
                        estimate.note() == null ? "" : " (" + estimate.note() + ")");
            }
        }
        report(bench, results);
    }

    private static void report(BenchRun bench, List<Result> results) {
        System.out.printf(Locale.ROOT, "%nPostgreSQL %s, %,d rows per table%n%n", bench.version(), bench.rows());
        System.out.printf(Locale.ROOT, "%-26s %-7s %-13s %10s %10s %7s %9s %5s %9s %5s%n", "INDEX", "AM", "METHOD",
                "SIZE", "REBUILT", "TRUE", "ZEROLOCK", "OFF", "CLASSIC", "OFF");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-26s %-7s %-13s %10d %10d %6.1f%% %8s %5s %9s %5s%n", r.index(),
                    r.accessMethod(), r.method(), r.size(), r.truth(), r.truthRatio() * 100, percent(r.estimate()),
                    off(r.estimate(), r.truthRatio()), percent(r.classic()), off(r.classic(), r.truthRatio()));
        }
        summary("btree, zerolock", results.stream().filter(r -> r.accessMethod().equals("btree"))
                .map(r -> points(r.estimate(), r.truthRatio())).toList(), 5);
        summary("btree, pgsql-bloat-estimation formula", results.stream().filter(r -> r.accessMethod().equals(
                "btree")).map(r -> points(r.classic(), r.truthRatio())).toList(), 5);
        summary("other access methods, zerolock", results.stream().filter(r -> !r.accessMethod().equals("btree"))
                .map(r -> points(r.estimate(), r.truthRatio())).toList(), 10);
    }

    private static void summary(String what, List<Double> points, double within) {
        double[] known = points.stream().filter(p -> p != null).mapToDouble(Double::doubleValue).sorted().toArray();
        long close = Arrays.stream(known).filter(p -> p <= within).count();
        System.out.printf(Locale.ROOT, "%n%s: %d of %d indexes within %.0f points (%.0f%%), %d without an estimate; "
                + "median %.1f, worst %.1f points%n", what, close, points.size(), within,
                100.0 * close / Math.max(1, points.size()), points.size() - known.length,
                known.length == 0 ? 0 : known[known.length / 2], known.length == 0 ? 0 : known[known.length - 1]);
    }

    private static Double points(Double estimate, double truth) {
        return estimate == null ? null : Math.abs(estimate - truth) * 100;
    }

    private static String percent(Double ratio) {
        return ratio == null ? "?" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String off(Double ratio, double truth) {
        return ratio == null ? "?" : String.format(Locale.ROOT, "%.1f", Math.abs(ratio - truth) * 100);
    }

    private static long size(Connection connection, long oid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_relation_size(?::oid)")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The bloat ratio by pgsql-bloat-estimation's btree formula: a tuple of an 8-byte header (padded, with
     * the null bitmap when any column has NULLs) and the columns' pg_stats widths weighted by their non-NULL
     * share, MAXALIGNed; pages = 1 + ceil(reltuples / floor((8192 - 40) * fillfactor / (100 * (4 + tuple))));
     * the ratio is (relpages - pages) / relpages. Null when a column has no statistics (the query drops it).
     */
    private static Double classicRatio(Connection connection, long oid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relpages, c.reltuples,
                       coalesce(substring(array_to_string(c.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::int, 90),
                       count(s.attname), count(*), max(coalesce(s.null_frac, 0)),
                       sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024))
                FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                JOIN pg_attribute ia ON ia.attrelid = x.indexrelid AND ia.attnum > 0
                LEFT JOIN pg_attribute ta ON x.indkey[ia.attnum - 1] <> 0 AND ta.attrelid = x.indrelid
                     AND ta.attnum = x.indkey[ia.attnum - 1]
                LEFT JOIN pg_stats s ON s.schemaname = n.nspname
                     AND s.tablename = CASE WHEN ta.attname IS NULL THEN c.relname ELSE t.relname END
                     AND s.attname = coalesce(ta.attname, ia.attname)
                WHERE x.indexrelid = ?
                GROUP BY c.relpages, c.reltuples, c.reloptions
                """)) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next() || rows.getInt(4) < rows.getInt(5) || rows.getLong(1) == 0) {
                    return null;
                }
                long relpages = rows.getLong(1);
                double reltuples = rows.getDouble(2);
                int fillfactor = rows.getInt(3);
                int header = rows.getDouble(6) == 0 ? 2 : 6;
                header = header + 8 - (header % 8 == 0 ? 8 : header % 8);
                double data = rows.getDouble(7);
                long whole = (long) data;
                double padded = data + (data == 0 ? 0 : 8 - (whole % 8 == 0 ? 8 : whole % 8));
                double tuple = header + padded;
                double perPage = Math.floor((8192 - 40) * fillfactor / (100 * (4 + tuple)));
                double pages = 1 + Math.ceil(reltuples / perPage);
                return Math.max(0, (relpages - pages) / relpages);
            }
        }
    }

    /** The tables and their histories, scaled by {@code rows}. */
    private static void build(io.zerolock.ConnectionTarget target, long rows) throws SQLException {
        long n = rows;
        long quarter = Math.max(1000, rows / 4);
        long half = Math.max(1000, rows / 2);
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.jdbcProperties());
                Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            sql.execute("CREATE SCHEMA " + SCHEMA);
            sql.execute("SET search_path = " + SCHEMA);
            String[] script = {
                // random deletes, half and most of the rows
                "CREATE TABLE deletes_half (id bigint PRIMARY KEY, a int, t text)",
                "INSERT INTO deletes_half SELECT g, (g::bigint * 7919) % 1000003, md5(g::text) FROM generate_series(1, " + n + ") g",
                "CREATE INDEX deletes_half_a ON deletes_half (a)",
                "CREATE INDEX deletes_half_t ON deletes_half (t)",
                "DELETE FROM deletes_half WHERE (id * 2654435761) % 100 < 50",
                "CREATE TABLE deletes_most (id bigint PRIMARY KEY, a int, t text)",
                "INSERT INTO deletes_most SELECT g, (g::bigint * 7919) % 1000003, md5(g::text) FROM generate_series(1, " + half + ") g",
                "CREATE INDEX deletes_most_a ON deletes_most (a)",
                "DELETE FROM deletes_most WHERE (id * 2654435761) % 100 < 85",
                // updates of indexed columns, twice over every row
                "CREATE TABLE updates (id bigint PRIMARY KEY, v int, s text)",
                "INSERT INTO updates SELECT g, g % 100000, 'value ' || g FROM generate_series(1, " + half + ") g",
                "CREATE INDEX updates_v ON updates (v)",
                "CREATE INDEX updates_s ON updates (s)",
                "UPDATE updates SET v = v + 1, s = s || 'x'",
                "VACUUM updates",
                "UPDATE updates SET v = v + 1, s = s || 'y' WHERE id % 2 = 0",
                // a queue: monotonic inserts, the oldest rows deleted
                "CREATE TABLE queue (id bigint PRIMARY KEY, created timestamptz, payload text)",
                "INSERT INTO queue SELECT g, timestamptz '2026-01-01' + g * interval '1 second', 'job ' || g "
                        + "FROM generate_series(1, " + n + ") g",
                "CREATE INDEX queue_created ON queue (created)",
                "DELETE FROM queue WHERE id <= " + (n * 8 / 10),
                "VACUUM queue",
                "INSERT INTO queue SELECT g, timestamptz '2026-01-01' + g * interval '1 second', 'job ' || g "
                        + "FROM generate_series(" + (n + 1) + ", " + (n + n / 2) + ") g",
                // low-cardinality keys: deduplication
                "CREATE TABLE statuses (id bigint PRIMARY KEY, status int, flag boolean, kind text)",
                "INSERT INTO statuses SELECT g, g % 5, g % 3 = 0, (ARRAY['order', 'refund', 'transfer'])[1 + g % 3] "
                        + "FROM generate_series(1, " + n + ") g",
                "CREATE INDEX statuses_status ON statuses (status)",
                "CREATE INDEX statuses_flag ON statuses (flag)",
                "CREATE INDEX statuses_kind ON statuses (kind)",
                "CREATE INDEX statuses_kind_status ON statuses (kind, status)",
                "DELETE FROM statuses WHERE (id * 2654435761) % 100 < 40",
                // wide keys: random text of 100 to 300 bytes, and 800-byte compressible text
                "CREATE TABLE wide (id bigint PRIMARY KEY, w text, c text)",
                "INSERT INTO wide SELECT g, substr(repeat(md5(g::text) || md5((g + 1)::text), 10), 1, 100 + g % 200), "
                        + "repeat(md5(g::text), 25) FROM generate_series(1, " + quarter + ") g",
                "CREATE INDEX wide_w ON wide (w)",
                "CREATE INDEX wide_c ON wide (c)",
                "DELETE FROM wide WHERE (id * 2654435761) % 100 < 30",
                // NULLs, partial, expression, INCLUDE, multi-column, fillfactor
                "CREATE TABLE people (id bigint PRIMARY KEY, email text, status int, amount numeric, born date)",
                "INSERT INTO people SELECT g, CASE WHEN g % 10 < 3 THEN NULL ELSE 'User' || g || '@Example.com' END, "
                        + "g % 4, (g % 10000) / 100.0, date '1950-01-01' + (g % 20000) FROM generate_series(1, " + n + ") g",
                "CREATE INDEX people_email ON people (email)",
                "CREATE INDEX people_lower_email ON people (lower(email))",
                "CREATE INDEX people_amount2 ON people ((amount * 2))",
                "CREATE INDEX people_active ON people (id) WHERE status = 1",
                "CREATE INDEX people_born_incl ON people (born) INCLUDE (amount, status)",
                "CREATE INDEX people_status_born ON people (status, born)",
                "CREATE INDEX people_born_ff70 ON people (born) WITH (fillfactor = 70)",
                "DELETE FROM people WHERE (id * 2654435761) % 100 < 40",
                "UPDATE people SET status = (status + 1) % 4 WHERE id % 5 = 0",
                // random UUIDs: page splits, no deletes
                "CREATE TABLE uuids (id uuid PRIMARY KEY, n bigint)",
                "INSERT INTO uuids SELECT md5(g::text)::uuid, g FROM generate_series(1, " + n + ") g",
                // the other access methods
                "CREATE TABLE docs (id bigint, body text, tags int[], attrs jsonb, spot point, span int4range, "
                        + "created timestamptz)",
                "INSERT INTO docs SELECT g, 'word' || (g % 5000) || ' term' || (g % 300) || ' tag' || (g % 17) "
                        + "|| ' rare' || g, ARRAY[g % 1000, g % 37, g % 5], jsonb_build_object('k', g % 100, 'v', "
                        + "g % 7), point(g % 1000, g / 1000), int4range(g::int, (g + 1 + g % 50)::int), timestamptz '2026-01-01' "
                        + "+ g * interval '1 minute' FROM generate_series(1, " + half + ") g",
                "CREATE INDEX docs_body_gin ON docs USING gin (to_tsvector('simple', body))",
                "CREATE INDEX docs_tags_gin ON docs USING gin (tags)",
                "CREATE INDEX docs_attrs_gin ON docs USING gin (attrs jsonb_path_ops)",
                "CREATE INDEX docs_spot_gist ON docs USING gist (spot)",
                "CREATE INDEX docs_span_gist ON docs USING gist (span)",
                "CREATE INDEX docs_body_spgist ON docs USING spgist (body)",
                "CREATE INDEX docs_spot_spgist ON docs USING spgist (spot)",
                "CREATE INDEX docs_id_hash ON docs USING hash (id)",
                "CREATE INDEX docs_body_hash ON docs USING hash (body)",
                "CREATE INDEX docs_created_brin ON docs USING brin (created)",
                "DELETE FROM docs WHERE (id * 2654435761) % 100 < 40",
                "UPDATE docs SET tags = tags || 7, span = int4range(id::int, (id + 100)::int) WHERE id % 4 = 0",
            };
            for (String statement : script) {
                sql.execute(statement);
            }
            sql.execute("VACUUM ANALYZE");
        }
    }
}

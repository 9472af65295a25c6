package io.zerolock.bloat;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.NameResolver;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Each estimate method against the truth: indexes with known histories, estimated, then rebuilt with REINDEX
 * to measure what the rebuild really gave back. The bench (bench/bloat) runs the same kind of set bigger.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BloatAccuracyTest {

    private static final int ROWS = 60_000;

    @PostgresTest
    void btree_estimates_are_within_five_points_of_what_a_rebuild_gives_back(TestDatabase db) {
        db.execute("CREATE TABLE items (id int PRIMARY KEY, status int, code text, note text, score int, "
                + "created timestamptz)",
                "INSERT INTO items SELECT g, g % 7, md5(g::text) || repeat('x', g % 40), "
                        + "CASE WHEN g % 4 = 0 THEN NULL ELSE 'note ' || g END, (g * 7919) % 1000, "
                        + "timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, " + ROWS + ") g",
                "CREATE INDEX items_status ON items (status)",
                "CREATE INDEX items_code ON items (code)",
                "CREATE INDEX items_note ON items (note)",
                "CREATE INDEX items_lower ON items (lower(code))",
                "CREATE INDEX items_partial ON items (score) WHERE status = 3",
                "CREATE INDEX items_include ON items (score) INCLUDE (created)",
                "CREATE INDEX items_pair ON items (status, score)",
                "CREATE INDEX items_filled ON items (created) WITH (fillfactor = 70)",
                // history: random deletes, updates of indexed columns, old rows gone, new rows at the end
                "DELETE FROM items WHERE (id * 2654435761::bigint) % 100 < 45",
                "UPDATE items SET score = score + 1, code = code || 'y' WHERE id % 5 = 0",
                "DELETE FROM items WHERE id < 15000",
                "INSERT INTO items SELECT g, g % 7, md5(g::text), 'late ' || g, g % 1000, now() FROM "
                        + "generate_series(" + (ROWS + 1) + ", " + (ROWS + 20000) + ") g",
                "VACUUM ANALYZE items",
                // keys over 510 bytes: the index compresses them, the table (rows under 2 kB) does not
                "CREATE TABLE blobs (id int, b text)",
                "INSERT INTO blobs SELECT g, repeat(md5(g::text), 20) FROM generate_series(1, 20000) g",
                "CREATE INDEX blobs_b ON blobs (b)",
                "DELETE FROM blobs WHERE id % 10 < 3",
                "VACUUM ANALYZE blobs");
        Map<String, Double> errors = errors(db, "blobs_b", "items_pkey", "items_status", "items_code", "items_note",
                "items_lower", "items_partial", "items_include", "items_pair", "items_filled");
        assertThat(errors).allSatisfy((index, points) -> assertThat(points).as(index).isLessThanOrEqualTo(5.0));
    }

    @PostgresTest
    /** Big enough that the sample builds see a part of the table and scale it up. */
    void other_access_methods_are_within_ten_points(TestDatabase db) {
        db.execute("CREATE TABLE docs (id int, body text, tags int[], spot point, span int4range, "
                + "created timestamptz)",
                "INSERT INTO docs SELECT g, 'word' || (g % 500) || ' other' || (g % 37) || ' text' || (g % 11), "
                        + "ARRAY[g % 100, g % 13, g % 7], point(g % 1000, g / 1000), int4range(g, g + 10), "
                        + "timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, " + 4 * ROWS + ") g",
                "CREATE INDEX docs_body ON docs USING gin (to_tsvector('simple', body))",
                "CREATE INDEX docs_tags ON docs USING gin (tags)",
                "CREATE INDEX docs_spot ON docs USING gist (spot)",
                "CREATE INDEX docs_span ON docs USING gist (span)",
                "CREATE INDEX docs_text ON docs USING spgist (body)",
                "CREATE INDEX docs_hash ON docs USING hash (id)",
                "CREATE INDEX docs_brin ON docs USING brin (created)",
                "DELETE FROM docs WHERE (id * 2654435761::bigint) % 100 < 40",
                "UPDATE docs SET tags = tags || 5, span = int4range(id, id + 20) WHERE id % 4 = 0",
                "VACUUM ANALYZE docs");
        Map<String, Double> errors = errors(db, "docs_body", "docs_tags", "docs_spot", "docs_span", "docs_text",
                "docs_hash", "docs_brin");
        assertThat(errors).allSatisfy((index, points) -> assertThat(points).as(index).isLessThanOrEqualTo(10.0));
    }

    /** Per index: how far the estimated bloat ratio is from the true one, in percentage points. */
    private static Map<String, Double> errors(TestDatabase db, String... indexes) {
        Map<String, Double> errors = new LinkedHashMap<>();
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            NameResolver names = new NameResolver(catalog);
            BloatEstimator estimator = new BloatEstimator(catalog, "zerolock");
            for (String name : indexes) {
                long oid = names.index(name).oid();
                BloatEstimate estimate = estimator.index(oid).orElseThrow();
                assertThat(estimate.sizeAfterBytes()).as(name + ": " + estimate.note()).isNotNull();
                db.execute("REINDEX INDEX " + name);
                long truth = Long.parseLong(db.queryString("SELECT pg_relation_size('" + name + "')"));
                double trueRatio = Math.max(0, estimate.sizeBytes() - truth) / (double) estimate.sizeBytes();
                double points = Math.abs(trueRatio - estimate.bloatRatio()) * 100;
                System.out.printf(Locale.ROOT, "PG %d %-14s %-12s size %9d estimate %9d truth %9d ratio %5.1f%% "
                        + "true %5.1f%% off %4.1f points  %s%n", db.majorVersion(), name, estimate.method().id(),
                        estimate.sizeBytes(), estimate.sizeAfterBytes(), truth, estimate.bloatRatio() * 100,
                        trueRatio * 100, points, estimate.note());
                errors.put(name, points);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return errors;
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.catalog.Identifiers;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;

/**
 * For every case: each strategy that applies rebuilds the index (new file) and leaves the catalog
 * fingerprint exactly as before, in {@code public} and in a schema whose name needs quoting, without
 * touching the same-named objects of the other schema. A refused case changes nothing.
 */
class ReindexPreservesEverythingTest {

    private static final List<String> SCHEMAS = List.of("public", "Mixed \"Q\" Schéma");

    /** {@code {s}} stands for the quoted schema. */
    record Scenario(String name, int minVersion, String setup, String index, Set<Strategy> refused) {
        Scenario(String name, String setup, String index) {
            this(name, 11, setup, index, EnumSet.noneOf(Strategy.class));
        }
    }

    private static final String ITEMS = """
            CREATE TABLE {s}.items (id int NOT NULL, name text, code varchar(20), note text, price numeric,
                                    created timestamptz, tags text[], pos point);
            INSERT INTO {s}.items SELECT g, 'name ' || g, 'c' || (g % 100), 'note ' || g, g, now(),
                   ARRAY['t' || (g % 7)], point(g, g) FROM generate_series(1, 2000) g;
            """;

    private static List<Scenario> scenarios() {
        List<Scenario> list = new ArrayList<>();
        list.add(new Scenario("plain", ITEMS + "CREATE INDEX items_name ON {s}.items (name);", "items_name"));
        list.add(new Scenario("multi-column DESC NULLS FIRST COLLATE C", ITEMS
                + "CREATE INDEX items_multi ON {s}.items (name COLLATE \"C\" DESC NULLS FIRST, code NULLS FIRST);",
                "items_multi"));
        list.add(new Scenario("text_pattern_ops", ITEMS
                + "CREATE INDEX items_pattern ON {s}.items (code text_pattern_ops);", "items_pattern"));
        list.add(new Scenario("partial with WHERE in a literal", ITEMS
                + "CREATE INDEX items_partial ON {s}.items (created) WHERE note <> 'a WHERE b' AND price > 10;",
                "items_partial"));
        list.add(new Scenario("expression with statistics target", ITEMS
                + "CREATE INDEX items_expr ON {s}.items (lower(name), (price * 2));"
                + "ALTER INDEX {s}.items_expr ALTER COLUMN 1 SET STATISTICS 321; ANALYZE {s}.items;", "items_expr"));
        list.add(new Scenario("INCLUDE", ITEMS + "CREATE INDEX items_incl ON {s}.items (code) INCLUDE (name, price);",
                "items_incl"));
        list.add(new Scenario("unique index", ITEMS + "CREATE UNIQUE INDEX items_id ON {s}.items (id);", "items_id"));
        list.add(new Scenario("unique constraint referenced by a foreign key", """
                CREATE TABLE {s}.accounts (id int NOT NULL, login text NOT NULL CONSTRAINT accounts_login_key UNIQUE);
                INSERT INTO {s}.accounts SELECT g, 'u' || g FROM generate_series(1, 500) g;
                CREATE TABLE {s}.sessions (login text REFERENCES {s}.accounts (login) ON UPDATE CASCADE);
                INSERT INTO {s}.sessions SELECT 'u' || g FROM generate_series(1, 500) g;
                """, "accounts_login_key"));
        list.add(new Scenario("primary key referenced by many kinds of foreign keys", """
                CREATE TABLE {s}.parent (tenant int, id int, manager_tenant int, manager_id int,
                    CONSTRAINT parent_pkey PRIMARY KEY (tenant, id));
                COMMENT ON CONSTRAINT parent_pkey ON {s}.parent IS 'the key';
                INSERT INTO {s}.parent SELECT 1, g, NULL, NULL FROM generate_series(1, 1000) g;
                ALTER TABLE {s}.parent ADD CONSTRAINT parent_manager_fk FOREIGN KEY (manager_tenant, manager_id)
                    REFERENCES {s}.parent;
                CREATE TABLE {s}.c_cascade (tenant int, pid int, FOREIGN KEY (tenant, pid) REFERENCES {s}.parent
                    ON DELETE CASCADE);
                CREATE TABLE {s}.c_setnull (tenant int, pid int, CONSTRAINT c_setnull_fk FOREIGN KEY (tenant, pid)
                    REFERENCES {s}.parent ON UPDATE SET NULL ON DELETE SET NULL);
                COMMENT ON CONSTRAINT c_setnull_fk ON {s}.c_setnull IS 'nulls on delete';
                CREATE TABLE {s}.c_full (tenant int, pid int, FOREIGN KEY (tenant, pid) REFERENCES {s}.parent
                    MATCH FULL);
                CREATE TABLE {s}.c_deferred (tenant int, pid int);
                ALTER TABLE {s}.c_deferred ADD CONSTRAINT c_deferred_fk FOREIGN KEY (tenant, pid)
                    REFERENCES {s}.parent DEFERRABLE INITIALLY DEFERRED;
                CREATE TABLE {s}.c_notvalid (tenant int, pid int);
                INSERT INTO {s}.c_notvalid VALUES (9, 9);
                ALTER TABLE {s}.c_notvalid ADD CONSTRAINT c_notvalid_fk FOREIGN KEY (tenant, pid)
                    REFERENCES {s}.parent NOT VALID;
                INSERT INTO {s}.c_cascade SELECT 1, g FROM generate_series(1, 1000) g;
                INSERT INTO {s}.c_full SELECT 1, g FROM generate_series(1, 100) g;
                """, "parent_pkey"));
        list.add(new Scenario("deferrable primary key", """
                CREATE TABLE {s}.deferred_pk (id int CONSTRAINT deferred_pk_pkey PRIMARY KEY
                    DEFERRABLE INITIALLY DEFERRED, v int);
                INSERT INTO {s}.deferred_pk SELECT g, g FROM generate_series(1, 500) g;
                """, "deferred_pk_pkey"));
        list.add(new Scenario("replica identity index", ITEMS + """
                CREATE UNIQUE INDEX items_ident ON {s}.items (id);
                ALTER TABLE {s}.items REPLICA IDENTITY USING INDEX items_ident;
                """, "items_ident"));
        list.add(new Scenario("clustered index", ITEMS + """
                CREATE INDEX items_clustered ON {s}.items (code);
                CLUSTER {s}.items USING items_clustered;
                """, "items_clustered"));
        list.add(new Scenario("fillfactor", ITEMS + "CREATE INDEX items_ff ON {s}.items (code) WITH (fillfactor = 60);",
                "items_ff"));
        list.add(new Scenario("deduplicate_items", 13, ITEMS
                + "CREATE INDEX items_dedup ON {s}.items (code) WITH (deduplicate_items = off, fillfactor = 80);",
                "items_dedup", EnumSet.noneOf(Strategy.class)));
        list.add(new Scenario("comment", ITEMS + "CREATE INDEX items_commented ON {s}.items (code);"
                + "COMMENT ON INDEX {s}.items_commented IS 'don''t drop: used by C:\\reports';", "items_commented"));
        list.add(new Scenario("GIN", ITEMS + "CREATE INDEX items_gin ON {s}.items USING gin (tags);", "items_gin"));
        list.add(new Scenario("GiST", ITEMS + "CREATE INDEX items_gist ON {s}.items USING gist (pos);", "items_gist"));
        list.add(new Scenario("BRIN", ITEMS
                + "CREATE INDEX items_brin ON {s}.items USING brin (id) WITH (pages_per_range = 16);", "items_brin"));
        list.add(new Scenario("hash", ITEMS + "CREATE INDEX items_hash ON {s}.items USING hash (code);", "items_hash"));
        list.add(new Scenario("NULLS NOT DISTINCT", 15, """
                CREATE TABLE {s}.nnd (a int, b int, CONSTRAINT nnd_b_key UNIQUE NULLS NOT DISTINCT (b));
                CREATE UNIQUE INDEX nnd_a ON {s}.nnd (a) NULLS NOT DISTINCT;
                INSERT INTO {s}.nnd SELECT g, g FROM generate_series(1, 100) g;
                CREATE TABLE {s}.nnd_ref (b int REFERENCES {s}.nnd (b));
                """, "nnd_b_key", EnumSet.noneOf(Strategy.class)));
        list.add(new Scenario("exclusion constraint", 11, """
                CREATE TABLE {s}.slots (r int4range, EXCLUDE USING gist (r WITH &&));
                INSERT INTO {s}.slots SELECT int4range(g * 10, g * 10 + 5) FROM generate_series(1, 100) g;
                """, "slots_r_excl", EnumSet.allOf(Strategy.class)));
        list.add(new Scenario("partitioned primary key with a foreign key to it", 12, """
                CREATE TABLE {s}.orders (id int, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
                CREATE TABLE {s}.orders_eu PARTITION OF {s}.orders FOR VALUES IN ('eu');
                CREATE TABLE {s}.orders_us PARTITION OF {s}.orders FOR VALUES IN ('us');
                INSERT INTO {s}.orders SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END
                    FROM generate_series(1, 1000) g;
                CREATE TABLE {s}.lines (order_id int, region text, FOREIGN KEY (order_id, region)
                    REFERENCES {s}.orders);
                """, "orders_pkey", EnumSet.of(Strategy.SWAP)));
        list.add(new Scenario("foreign key declared on a partitioned table", 11, """
                CREATE TABLE {s}.account (id bigint PRIMARY KEY);
                INSERT INTO {s}.account SELECT generate_series(1, 100);
                CREATE TABLE {s}.event (account_id bigint REFERENCES {s}.account, at date NOT NULL)
                    PARTITION BY RANGE (at);
                CREATE TABLE {s}.event_2026 PARTITION OF {s}.event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                """, "account_pkey", EnumSet.of(Strategy.SWAP)));
        list.add(new Scenario("unicode and 63-byte names", """
                CREATE TABLE {s}."Ünïcödé Tàble" ("Ïd" int NOT NULL, v int);
                INSERT INTO {s}."Ünïcödé Tàble" SELECT g, g FROM generate_series(1, 500) g;
                CREATE INDEX "ÿ%s" ON {s}."Ünïcödé Tàble" ("Ïd");
                ALTER TABLE {s}."Ünïcödé Tàble" ADD CONSTRAINT "%s" UNIQUE (v);
                """.formatted("x".repeat(61), "k".repeat(63)), "\"ÿ" + "x".repeat(61) + "\""));
        list.add(new Scenario("unicode and 63-byte constraint name", """
                CREATE TABLE {s}.long_named (v int);
                ALTER TABLE {s}.long_named ADD CONSTRAINT "%s" UNIQUE (v);
                CREATE TABLE {s}.long_ref (v int REFERENCES {s}.long_named (v));
                """.formatted("k".repeat(63)), "k".repeat(63)));
        list.add(new Scenario("unlogged table", """
                CREATE UNLOGGED TABLE {s}.scratch (id int PRIMARY KEY, v int);
                CREATE INDEX scratch_v ON {s}.scratch (v);
                INSERT INTO {s}.scratch SELECT g, g FROM generate_series(1, 500) g;
                """, "scratch_pkey"));
        list.add(new Scenario("materialized view", ITEMS + """
                CREATE MATERIALIZED VIEW {s}.totals AS SELECT code, count(*) AS n FROM {s}.items GROUP BY code;
                CREATE UNIQUE INDEX totals_code ON {s}.totals (code);
                """, "totals_code"));
        return list;
    }

    @PostgresTest
    void every_case_keeps_its_fingerprint(TestDatabase db) throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (Scenario scenario : scenarios()) {
            if (db.majorVersion() < scenario.minVersion()) {
                continue;
            }
            for (String schema : SCHEMAS) {
                if (!schema.equals("public")) {
                    db.execute("CREATE SCHEMA " + Identifiers.quote(schema));
                }
                db.execute(scenario.setup().replace("{s}", Identifiers.quote(schema)));
            }
            for (String schema : SCHEMAS) {
                String other = SCHEMAS.get(1 - SCHEMAS.indexOf(schema));
                String index = Identifiers.quote(schema) + "." + scenario.index();
                String otherIndex = Identifiers.quote(other) + "." + scenario.index();
                for (Strategy strategy : Strategy.values()) {
                    if (strategy == Strategy.NATIVE && db.majorVersion() < 12) {
                        continue;
                    }
                    String label = scenario.name() + " / " + schema + " / " + strategy.id() + " / PG "
                            + db.majorVersion();
                    List<String> before = CatalogFingerprint.of(db, schema);
                    List<String> otherBefore = CatalogFingerprint.of(db, other);
                    List<Long> files = CatalogFingerprint.files(db, index);
                    List<Long> otherFiles = CatalogFingerprint.files(db, otherIndex);
                    Reindexer reindexer = new Reindexer(Databases.connector(db),
                            ReindexOptions.defaults().withStrategy(strategy));
                    if (scenario.refused().contains(strategy)) {
                        softly.assertThatThrownBy(() -> reindexer.run(ReindexRequest.indexes(index), false))
                                .as(label).isInstanceOfSatisfying(ZerolockException.class,
                                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REFUSED));
                        softly.assertThat(CatalogFingerprint.files(db, index)).as(label).isEqualTo(files);
                    } else {
                        try {
                            reindexer.run(ReindexRequest.indexes(index), false);
                        } catch (RuntimeException e) {
                            softly.fail(label + " failed: " + e.getMessage());
                            continue;
                        }
                        List<Long> after = CatalogFingerprint.files(db, index);
                        softly.assertThat(after).as(label + ": rebuilt").hasSameSizeAs(files)
                                .doesNotContainAnyElementsOf(files);
                    }
                    softly.assertThat(CatalogFingerprint.of(db, schema)).as(label).containsExactlyElementsOf(before);
                    softly.assertThat(CatalogFingerprint.of(db, other)).as(label + ": other schema")
                            .containsExactlyElementsOf(otherBefore);
                    softly.assertThat(CatalogFingerprint.files(db, otherIndex)).as(label + ": other schema")
                            .isEqualTo(otherFiles);
                }
            }
            for (String schema : SCHEMAS) {
                db.execute("DROP SCHEMA " + Identifiers.quote(schema) + " CASCADE");
            }
            db.execute("CREATE SCHEMA public");
        }
        softly.assertAll();
    }

    @PostgresTest
    void keeps_the_tablespace_whatever_default_tablespace_says(TestDatabase db) throws Exception {
        Path home = Files.createTempDirectory("zl-ts");
        Path a = Files.createDirectory(home.resolve("a"));
        Path b = Files.createDirectory(home.resolve("b"));
        String tsA = "ts_a_" + db.name();
        String tsB = "ts_b_" + db.name();
        db.execute("CREATE TABLESPACE " + tsA + " LOCATION '" + a + "'",
                "CREATE TABLESPACE " + tsB + " LOCATION '" + b + "'",
                "CREATE TABLE t (id int PRIMARY KEY USING INDEX TABLESPACE " + tsA + ", v int)",
                "CREATE INDEX t_v ON t (v)",
                "CREATE TABLE r (id int REFERENCES t)",
                "ALTER DATABASE " + db.name() + " SET default_tablespace = " + tsB);
        try {
            for (Strategy strategy : Strategy.values()) {
                if (strategy == Strategy.NATIVE && db.majorVersion() < 12) {
                    continue;
                }
                List<String> before = CatalogFingerprint.of(db, "public");
                new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(strategy))
                        .run(ReindexRequest.indexes("t_pkey", "t_v"), false);
                assertThat(CatalogFingerprint.of(db, "public")).as(strategy.id()).containsExactlyElementsOf(before);
                assertThat(db.queryString("SELECT coalesce((SELECT spcname FROM pg_tablespace ts JOIN pg_class c "
                        + "ON c.reltablespace = ts.oid WHERE c.relname = 't_v'), 'default')")).isEqualTo("default");
            }
        } finally {
            assertThat(db.queryLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'zerolock' AND c.reltablespace <> 0")).as("state in the default tablespace")
                    .isZero();
            db.execute("DROP TABLE t, r", "DROP SCHEMA IF EXISTS zerolock CASCADE",
                    "ALTER DATABASE " + db.name() + " RESET default_tablespace",
                    "DROP TABLESPACE " + tsA, "DROP TABLESPACE " + tsB);
        }
    }
}

package io.zerolock.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ConnectionOptions;
import io.zerolock.check.Checker;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.connect.Connector;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code zerolock apply} on real servers: the catalog after it equals the catalog after psql ran the same
 * files as written; nothing runs when anything is refused; the history skips what was applied.
 */
class ApplyTest {

    static final String SCHEMA = """
            CREATE TABLE customers (id int NOT NULL, email text, name text, tier int);
            INSERT INTO customers SELECT g, 'c' || g || '@example.com', 'n' || g, g % 3 FROM generate_series(1, 3000) g;
            CREATE TABLE orders (id bigint NOT NULL, customer_id int, total numeric, note text);
            INSERT INTO orders SELECT g, 1 + g % 3000, g, 'x' FROM generate_series(1, 5000) g;
            CREATE INDEX orders_note ON orders (note);
            """;

    /** A typical feature migration: every statement of it takes a blocking lock as written. */
    static String featureMigration(int major) {
        return """
                ALTER TABLE customers ADD PRIMARY KEY (id);
                CREATE INDEX orders_customer ON orders (customer_id) WHERE total > 0;
                ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
                    ON DELETE CASCADE DEFERRABLE;
                ALTER TABLE orders ADD CHECK (total >= 0);
                ALTER TABLE orders ADD COLUMN shipped boolean NOT NULL DEFAULT false;
                CREATE UNIQUE INDEX orders_id ON orders (id);
                DROP INDEX orders_note;
                """ + (major >= 12 ? "ALTER TABLE customers ALTER COLUMN name SET NOT NULL;\n" : "");
    }

    static Connector connector(TestDatabase db) {
        return new Connector(new ConnectionResolver(Map.of(), java.nio.file.Path.of("/nonexistent"), "nobody")
                .resolve(ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + db.port() + "/" + db.name())));
    }

    static MigrationFile file(String name, String sql) {
        return new MigrationFile(name, new Checker.Source(name, sql));
    }

    @PostgresTest
    void applies_a_feature_migration_leaving_the_catalog_psql_leaves(TestDatabase db) {
        TestDatabase asWritten = db.sibling();
        db.execute(SCHEMA);
        asWritten.execute(SCHEMA);
        String migration = featureMigration(db.majorVersion());
        asWritten.execute(migration);

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults())
                .run(List.of(file("V2__feature.sql", migration)), false);

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(ApplyOutcome.Status.APPLIED);
            assertThat(outcome.statements()).extracting(ApplyOutcome.StatementOutcome::how)
                    .as("each blocking statement ran as its safe form").filteredOn(how -> how.startsWith("rewritten"))
                    .hasSize(db.majorVersion() >= 12 ? 8 : 7);
        });
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(CatalogFingerprint.of(asWritten,
                "public"));
        assertThat(db.queryString("SELECT name || ' ' || statements FROM zerolock.applied_migration"))
                .isEqualTo("V2__feature.sql " + (db.majorVersion() >= 12 ? 9 : 8));
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.step WHERE outcome <> 'done'")).isZero();
        assertThat(db.queryString("SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM zerolock.step"))
                .isEqualTo("alter,build,drop,statement,validate");
    }

    /** Every name quoted, mixed case, with spaces: the rewrites, the backfill and the lock order keep them. */
    @PostgresTest
    void applies_a_migration_of_quoted_mixed_case_names_as_psql_would(TestDatabase db) {
        String setup = """
                CREATE SCHEMA "Shop Floor";
                CREATE TABLE "Shop Floor"."Customers" ("Id" int NOT NULL, "E-mail" text, "Name" text);
                INSERT INTO "Shop Floor"."Customers" SELECT g, 'c' || g, 'n' || g FROM generate_series(1, 3000) g;
                CREATE TABLE "Shop Floor"."Orders" ("Id" bigint NOT NULL, "Customer Id" int, "Total" numeric);
                INSERT INTO "Shop Floor"."Orders" SELECT g, 1 + g % 3000, g FROM generate_series(1, 5000) g;
                """;
        String migration = """
                ALTER TABLE "Shop Floor"."Customers" ADD PRIMARY KEY ("Id");
                CREATE INDEX "Orders by customer" ON "Shop Floor"."Orders" ("Customer Id");
                ALTER TABLE "Shop Floor"."Customers" ADD CONSTRAINT "Customers e-mail" UNIQUE ("E-mail");
                ALTER TABLE "Shop Floor"."Orders" ADD CONSTRAINT "Orders' customer" FOREIGN KEY ("Customer Id")
                    REFERENCES "Shop Floor"."Customers" ("Id");
                ALTER TABLE "Shop Floor"."Orders" ADD CHECK ("Total" >= 0);
                UPDATE "Shop Floor"."Customers" SET "Name" = upper("Name");
                DROP INDEX "Shop Floor"."Orders by customer";
                """ + (db.majorVersion() >= 12
                        ? "ALTER TABLE \"Shop Floor\".\"Customers\" ALTER COLUMN \"Name\" SET NOT NULL;\n" : "");
        TestDatabase asWritten = db.sibling();
        asWritten.execute(setup, migration);
        db.execute(setup);

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults())
                .run(List.of(file("V2__quoted.sql", migration)), false);

        assertThat(outcomes.get(0).statements()).extracting(ApplyOutcome.StatementOutcome::how)
                .allMatch(how -> how.startsWith("rewritten"));
        assertThat(CatalogFingerprint.of(db, "Shop Floor")).containsExactlyElementsOf(
                CatalogFingerprint.of(asWritten, "Shop Floor"));
        assertThat(db.queryLong("SELECT count(*) FROM \"Shop Floor\".\"Customers\" WHERE \"Name\" <> upper(\"Name\")"))
                .isZero();
    }

    @PostgresTest(versions = 18)
    void an_applied_file_is_skipped_and_a_changed_one_refused_before_anything_runs(TestDatabase db) {
        db.execute(SCHEMA);
        Applier applier = new Applier(connector(db), ApplyOptions.defaults());
        MigrationFile first = file("V1__index.sql", "CREATE INDEX orders_total ON orders (total);");
        applier.run(List.of(first), false);

        List<ApplyOutcome> again = applier.run(List.of(first, file("V2__more.sql",
                "CREATE INDEX orders_id ON orders (id);")), false);
        assertThat(again).extracting(ApplyOutcome::status)
                .containsExactly(ApplyOutcome.Status.ALREADY_APPLIED, ApplyOutcome.Status.APPLIED);

        assertThatThrownBy(() -> applier.run(List.of(file("V1__index.sql", "CREATE INDEX orders_total ON orders "
                + "(total DESC);"), file("V3__new.sql", "CREATE INDEX orders_customer ON orders (customer_id);")),
                false)).isInstanceOf(ApplyRefused.class).hasMessageContaining("V1__index.sql")
                .hasMessageContaining("changed since");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_customer'"))
                .as("nothing ran").isZero();
    }

    @PostgresTest(versions = 14)
    void a_dry_run_plans_each_statement_and_creates_nothing(TestDatabase db) {
        db.execute(SCHEMA);
        List<String> before = CatalogFingerprint.of(db, "public");
        List<ApplyOutcome> planned = new Applier(connector(db), ApplyOptions.defaults())
                .run(List.of(file("V2__feature.sql", featureMigration(14))), true);

        assertThat(planned).singleElement().satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(ApplyOutcome.Status.PLANNED);
            ApplyOutcome.StatementOutcome index = outcome.statements().get(1);
            assertThat(index.how()).isEqualTo("rewritten (ZL001)");
            assertThat(index.steps()).singleElement().satisfies(step -> {
                assertThat(step.sql()).containsExactly("CREATE INDEX CONCURRENTLY orders_customer ON orders "
                        + "(customer_id) WHERE total > 0");
                assertThat(step.policy()).contains("no lock_timeout");
            });
            ApplyOutcome.StatementOutcome column = outcome.statements().get(5);
            assertThat(column.how()).isEqualTo("as written");
            assertThat(column.steps().get(0).policy()).contains("lock_timeout=1000ms, 10 attempts");
        });
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(before);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isZero();
    }

    @PostgresTest
    void refuses_what_no_rewrite_makes_safe_and_runs_it_bounded_when_allowed(TestDatabase db) {
        db.execute(SCHEMA);
        Applier applier = new Applier(connector(db), ApplyOptions.defaults());
        List<MigrationFile> files = List.of(file("V2__index.sql", "CREATE INDEX orders_total ON orders (total);"),
                file("V3__type.sql", "ALTER TABLE orders ALTER COLUMN total TYPE text;"));

        assertThatThrownBy(() -> applier.run(files, false)).isInstanceOf(ApplyRefused.class)
                .hasMessageContaining("V3__type.sql:1: ZL014").hasMessageContaining("zerolock:allow ZL014");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'orders_total'"))
                .as("no file runs while one is refused").isZero();

        applier.run(List.of(files.get(0), file("V3__type.sql", "-- zerolock:allow ZL014 orders is tiny\n"
                + "ALTER TABLE orders ALTER COLUMN total TYPE text;")), false);
        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'orders'::regclass AND attname = 'total'")).isEqualTo("text");
    }

    @PostgresTest
    void refreshes_a_view_concurrently_when_a_unique_index_allows_it(TestDatabase db) {
        db.execute(SCHEMA, "CREATE MATERIALIZED VIEW totals AS SELECT customer_id, sum(total) AS total FROM orders "
                + "GROUP BY customer_id", "CREATE UNIQUE INDEX totals_customer ON totals (customer_id)",
                "CREATE MATERIALIZED VIEW counts AS SELECT count(*) AS n FROM orders",
                "INSERT INTO orders VALUES (999999, 1, 5, 'late')");

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults()).run(List.of(
                file("V2__refresh.sql", "REFRESH MATERIALIZED VIEW totals;\nREFRESH MATERIALIZED VIEW counts;")),
                false);

        assertThat(outcomes.get(0).statements()).extracting(ApplyOutcome.StatementOutcome::how)
                .containsExactly("rewritten (ZL020)", "as written");
        assertThat(outcomes.get(0).statements().get(0).steps().get(0).sql())
                .containsExactly("REFRESH MATERIALIZED VIEW CONCURRENTLY totals");
        assertThat(db.queryLong("SELECT total FROM totals WHERE customer_id = 1")).isEqualTo(db.queryLong(
                "SELECT sum(total) FROM orders WHERE customer_id = 1"));
        assertThat(db.queryLong("SELECT n FROM counts")).isEqualTo(5001);
    }

    /**
     * ATTACH PARTITION through validated CHECKs of the constraint PostgreSQL states for the bound: the
     * catalog ends as psql's, and PostgreSQL itself says the checks imply what it would otherwise scan for,
     * the new partition's rows and (when the parent has one) the DEFAULT partition's. RANGE on one column and
     * on two, LIST with NULL, HASH, a DEFAULT bound, a parent with a DEFAULT partition, a sub-partition.
     */
    @PostgresTest
    void attaches_a_partition_through_a_check_that_proves_its_bounds(TestDatabase db) throws Exception {
        String setup = """
                CREATE TABLE events (id int, at date, kind text) PARTITION BY RANGE (at);
                CREATE TABLE events_2021 (id int, at date, kind text);
                INSERT INTO events_2021 SELECT g, date '2021-01-01' + g % 365, 'x' FROM generate_series(1, 3000) g;
                CREATE TABLE events_old (id int, at date, kind text);
                INSERT INTO events_old SELECT g, date '2000-01-01' + g % 365, 'x' FROM generate_series(1, 100) g;
                CREATE TABLE tags (id int, kind text) PARTITION BY LIST (kind);
                CREATE TABLE tags_ab (id int, kind text);
                INSERT INTO tags_ab SELECT g, CASE WHEN g % 3 = 0 THEN NULL WHEN g % 2 = 0 THEN 'a' ELSE 'b' END
                    FROM generate_series(1, 3000) g;
                CREATE TABLE colors (id int, color text) PARTITION BY LIST (color);
                CREATE TABLE colors_rgb PARTITION OF colors FOR VALUES IN ('red', 'green', 'blue');
                CREATE TABLE colors_rest (id int, color text);
                INSERT INTO colors_rest SELECT g, 'k' || g FROM generate_series(1, 500) g;
                CREATE TABLE "Readings" ("Sensor" int, "At" timestamptz, v numeric) PARTITION BY RANGE ("Sensor", "At");
                CREATE TABLE "Readings 1" ("Sensor" int, "At" timestamptz, v numeric);
                INSERT INTO "Readings 1" SELECT 1 + g % 2, timestamptz '2024-01-01 00:00+00' + g * interval '1 minute', g
                    FROM generate_series(1, 2000) g;
                CREATE TABLE buckets (id bigint, body text) PARTITION BY HASH (id);
                CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
                CREATE TABLE buckets_1 (id bigint, body text);
                INSERT INTO buckets_1 SELECT g, 'b' FROM generate_series(1, 4000) g
                    WHERE satisfies_hash_partition('buckets'::regclass::oid, 2, 1, g::bigint);
                CREATE TABLE logs (id int, at date) PARTITION BY RANGE (at);
                CREATE TABLE logs_rest PARTITION OF logs DEFAULT;
                INSERT INTO logs SELECT g, date '2020-01-01' + g % 300 FROM generate_series(1, 2000) g;
                CREATE TABLE logs_2023 (id int, at date);
                INSERT INTO logs_2023 SELECT g, date '2023-01-01' + g % 365 FROM generate_series(1, 2000) g;
                CREATE TABLE regions (id int, region text, at date) PARTITION BY LIST (region);
                CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu') PARTITION BY RANGE (at);
                CREATE TABLE regions_eu_2024 (id int, region text, at date);
                INSERT INTO regions_eu_2024 SELECT g, 'eu', date '2024-01-01' + g % 366 FROM generate_series(1, 1000) g;
                """;
        String migration = """
                ALTER TABLE events ATTACH PARTITION events_2021 FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
                ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM (MINVALUE) TO ('2021-01-01');
                ALTER TABLE tags ATTACH PARTITION tags_ab FOR VALUES IN ('a', NULL, 'b');
                ALTER TABLE colors ATTACH PARTITION colors_rest DEFAULT;
                ALTER TABLE "Readings" ATTACH PARTITION "Readings 1"
                    FOR VALUES FROM (1, '2024-01-01 00:00+00') TO (2, MAXVALUE);
                ALTER TABLE buckets ATTACH PARTITION buckets_1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
                ALTER TABLE logs ATTACH PARTITION logs_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
                ALTER TABLE regions_eu ATTACH PARTITION regions_eu_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
                """;
        TestDatabase asWritten = db.sibling();
        asWritten.execute(setup, migration);
        TestDatabase proof = db.sibling();
        proof.execute(setup);
        db.execute(setup);

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults())
                .run(List.of(file("V2__attach.sql", migration)), false);

        assertThat(outcomes.get(0).statements()).extracting(ApplyOutcome.StatementOutcome::how)
                .containsOnly("rewritten (ZL018)");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(CatalogFingerprint.of(asWritten,
                "public"));
        assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'zerolock%'")).isZero();
        // the same checks, then the ATTACH: PostgreSQL says it needs no scan, of the partition nor of a DEFAULT one
        for (ApplyOutcome.StatementOutcome statement : outcomes.get(0).statements()) {
            List<String> warnings = new java.util.ArrayList<>();
            int checks = 0;
            try (Connection connection = proof.connect(); Statement sql = connection.createStatement()) {
                for (ApplyOutcome.StepOutcome step : statement.steps()) {
                    boolean attach = step.sql().stream().anyMatch(text -> text.contains("ATTACH"));
                    if (attach) {
                        sql.execute("SET client_min_messages = debug1");
                    } else if (step.sql().get(0).contains("VALIDATE")) {
                        checks++;
                    }
                    for (String text : step.sql()) { // a hash bound names its parent by OID, the sibling's differs
                        sql.execute(text.replace("'" + db.queryLong("SELECT 'buckets'::regclass::oid") + "'::oid",
                                "'" + proof.queryLong("SELECT 'buckets'::regclass::oid") + "'::oid"));
                    }
                    if (attach) {
                        break;
                    }
                }
                for (java.sql.SQLWarning w = sql.getWarnings(); w != null; w = w.getNextWarning()) {
                    warnings.add(w.getMessage());
                }
            }
            assertThat(warnings).as(statement.text()).filteredOn(w -> w.contains("is implied by existing constraints"))
                    .hasSize(checks);
            assertThat(checks).as(statement.text()).isEqualTo(statement.text().contains("logs_2023") ? 2 : 1);
        }
    }

    @PostgresTest(versions = 14)
    void a_files_own_transaction_runs_as_one_and_a_lone_statement_in_one_is_still_made_safe(TestDatabase db) {
        db.execute(SCHEMA);
        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults()).run(List.of(
                file("V2__lone.sql", "BEGIN;\nCREATE INDEX orders_total ON orders (total);\nCOMMIT;\n"),
                file("V3__block.sql", "BEGIN;\nALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n"
                        + "COMMIT;\n")), false);
        assertThat(outcomes.get(0).statements()).singleElement().satisfies(statement -> assertThat(statement.how())
                .isEqualTo("rewritten (ZL001)"));
        assertThat(outcomes.get(1).statements()).singleElement().satisfies(statement -> {
            assertThat(statement.how()).isEqualTo("as written (the file's transaction)");
            assertThat(statement.steps()).singleElement().satisfies(step -> assertThat(step.sql())
                    .containsExactly("ALTER TABLE orders ADD COLUMN a int", "ALTER TABLE orders ADD COLUMN b int"));
        });

        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file(
                "V4__mixed.sql", "BEGIN;\nCREATE INDEX orders_c ON orders (total);\nALTER TABLE orders ADD COLUMN c int;\n"
                        + "COMMIT;\n")), false)).isInstanceOf(ApplyRefused.class)
                .hasMessageContaining("V4__mixed.sql:2: ZL001")
                .hasMessageContaining("inside the file's own BEGIN ... COMMIT")
                .hasMessageContaining("moving it after the COMMIT would change the result (line 3 names orders)");
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass "
                + "AND attname = 'c'")).as("nothing ran").isZero();
    }

    /**
     * A transaction block whose blocking statements nothing later in it uses: they run after its COMMIT,
     * as their safe forms, and the catalog ends as psql's.
     */
    @PostgresTest
    void a_blocking_statement_nothing_later_uses_leaves_the_files_transaction_and_is_made_safe(TestDatabase db) {
        String migration = """
                BEGIN;
                SET LOCAL lock_timeout = '5s';
                CREATE TABLE notes (id int PRIMARY KEY, customer_id int);
                ALTER TABLE orders ADD COLUMN c int;
                CREATE INDEX orders_c ON orders (c);
                ALTER TABLE customers ADD CONSTRAINT customers_tier_check CHECK (tier >= 0);
                INSERT INTO notes VALUES (1, 1);
                COMMIT;
                """;
        TestDatabase asWritten = db.sibling();
        asWritten.execute(SCHEMA, migration);
        db.execute(SCHEMA);

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults())
                .run(List.of(file("V2__block.sql", migration)), false);

        assertThat(outcomes.get(0).statements()).extracting(ApplyOutcome.StatementOutcome::how).containsExactly(
                "as written (the file's transaction, less 2 statements run after its COMMIT)",
                "rewritten (ZL001), after the file's COMMIT", "rewritten (ZL008), after the file's COMMIT");
        assertThat(outcomes.get(0).statements().get(0).steps().get(0).sql()).containsExactly(
                "SET LOCAL lock_timeout = '5s'", "CREATE TABLE notes (id int PRIMARY KEY, customer_id int)",
                "ALTER TABLE orders ADD COLUMN c int", "INSERT INTO notes VALUES (1, 1)");
        assertThat(CatalogFingerprint.of(db, "public")).containsExactlyElementsOf(CatalogFingerprint.of(asWritten,
                "public"));

        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file(
                "V3__set.sql", "BEGIN;\nSET LOCAL search_path = elsewhere, public;\n"
                        + "CREATE INDEX orders_total ON orders (total);\nCOMMIT;\n")), false))
                .isInstanceOf(ApplyRefused.class).hasMessageContaining("line 2 sets a parameter");
    }

    /** The moved statement fails after the file's transaction committed: the next run does not run it twice. */
    @PostgresTest(versions = 18)
    void a_run_after_a_moved_statement_failed_finishes_it_without_running_the_transaction_again(TestDatabase db) {
        db.execute(SCHEMA, "UPDATE orders SET total = 1 WHERE id IN (1, 2)");
        MigrationFile block = file("V2__block.sql", "BEGIN;\nCREATE TABLE notes (id int);\n"
                + "CREATE UNIQUE INDEX orders_total_key ON orders (total);\nCOMMIT;\n");
        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(block), false))
                .isInstanceOf(ApplyFailure.class).hasMessageContaining("could not create unique index");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).isZero();

        db.execute("UPDATE orders SET total = 2 WHERE id = 2");
        new Applier(connector(db), ApplyOptions.defaults()).run(List.of(block), false);
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'orders_total_key'::regclass"))
                .isEqualTo("true");
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.applied_migration")).isEqualTo(1);
    }

    /** {@code -- zerolock:online} above a type change: zerolock alter-type runs it; without it, it is refused. */
    @PostgresTest
    void a_type_change_marked_online_is_run_by_alter_type(TestDatabase db) {
        db.execute("CREATE TABLE accounts (id serial PRIMARY KEY, balance int)",
                "INSERT INTO accounts (balance) SELECT g FROM generate_series(1, 3000) g");
        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file("V2__wide.sql",
                "ALTER TABLE accounts ALTER COLUMN balance TYPE bigint;")), false)).isInstanceOf(ApplyRefused.class)
                .hasMessageContaining("ZL014").hasMessageContaining("zerolock alter-type");

        List<ApplyOutcome> outcomes = new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file(
                "V2__wide.sql", "-- zerolock:online\nALTER TABLE accounts ALTER COLUMN balance TYPE bigint;")), false);

        assertThat(outcomes.get(0).statements()).extracting(ApplyOutcome.StatementOutcome::how)
                .containsExactly("online (zerolock alter-type)");
        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                + "'accounts'::regclass AND attname = 'balance'")).isEqualTo("bigint");
        assertThat(db.queryLong("SELECT count(*) FROM accounts WHERE balance IS DISTINCT FROM balance_retired"))
                .isZero();
        assertThat(db.queryString("SELECT string_agg(kind || '=' || outcome, ',' ORDER BY id) FROM zerolock.operation"))
                .isEqualTo("apply=done,alter-type=done");
    }

    @PostgresTest
    void adds_an_enum_value_on_every_version(TestDatabase db) {
        db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok')");
        new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file("V2__mood.sql",
                "ALTER TYPE mood ADD VALUE 'happy';")), false);
        assertThat(db.queryString("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
                + "WHERE enumtypid = 'mood'::regtype")).isEqualTo("sad,ok,happy");
    }

    @PostgresTest(versions = 18)
    void an_allow_without_a_reason_is_a_usage_error(TestDatabase db) {
        db.execute(SCHEMA);
        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(file("V2.sql",
                "-- zerolock:allow ZL014\nALTER TABLE orders ALTER COLUMN total TYPE text;")), false))
                .hasMessageContaining("needs the rule ids and a reason");
    }

    @PostgresTest
    void a_statement_behind_a_lock_is_retried_then_fails_naming_the_holder_and_leaves_nothing(TestDatabase db)
            throws Exception {
        db.execute(SCHEMA);
        ApplyOptions options = ApplyOptions.defaults().withLocks(Duration.ofMillis(50), 3);
        MigrationFile fk = file("V2__fk.sql", "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK "
                + "(total > 0);");
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
            assertThatThrownBy(() -> new Applier(connector(db), options).run(List.of(fk), false))
                    .isInstanceOf(ApplyFailure.class).hasMessageContaining("within lock_timeout=50ms in 3 attempts")
                    .hasMessageContaining("LOCK TABLE orders IN ACCESS SHARE MODE");
            statement.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE conname = 'orders_total_positive'"))
                .isZero();
        assertThat(db.queryString("SELECT note FROM zerolock.step WHERE kind = 'alter'"))
                .as("the journal says who held the lock, attempt by attempt")
                .contains("attempt 1 of 3 timed out waiting for a lock (55P03): held by pid")
                .contains("attempt 2 of 3").contains("LOCK TABLE orders IN ACCESS SHARE MODE");
        new Applier(connector(db), options).run(List.of(fk), false);
        assertThat(db.queryString("SELECT convalidated::text FROM pg_constraint WHERE conname = 'orders_total_positive'"))
                .isEqualTo("true");
    }

    @PostgresTest
    void a_failed_concurrent_build_leaves_no_invalid_index_and_the_next_run_builds_it(TestDatabase db) {
        db.execute(SCHEMA, "UPDATE orders SET total = 1 WHERE id IN (1, 2)");
        MigrationFile unique = file("V2__unique.sql", "CREATE UNIQUE INDEX orders_total_key ON orders (total);");
        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(unique), false))
                .isInstanceOf(ApplyFailure.class).hasMessageContaining("could not create unique index");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).as("no invalid index left")
                .isZero();
        assertThat(db.queryLong("SELECT count(*) FROM zerolock.applied_migration")).isZero();

        db.execute("UPDATE orders SET total = 2 WHERE id = 2");
        new Applier(connector(db), ApplyOptions.defaults()).run(List.of(unique), false);
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'orders_total_key'::regclass"))
                .isEqualTo("true");
    }

    @PostgresTest
    void a_constraint_whose_validation_fails_is_taken_back(TestDatabase db) {
        db.execute(SCHEMA, "UPDATE orders SET customer_id = 999999 WHERE id = 7");
        MigrationFile fk = file("V2__fk.sql", "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY "
                + "(customer_id) REFERENCES customers (id);");
        db.execute("ALTER TABLE customers ADD PRIMARY KEY (id)");
        assertThatThrownBy(() -> new Applier(connector(db), ApplyOptions.defaults()).run(List.of(fk), false))
                .isInstanceOf(ApplyFailure.class).hasMessageContaining("violates foreign key constraint");
        assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE conname = 'orders_customer_fk'"))
                .as("as psql leaves it: no constraint").isZero();

        db.execute("UPDATE orders SET customer_id = 7 WHERE id = 7");
        new Applier(connector(db), ApplyOptions.defaults()).run(List.of(fk), false);
        assertThat(db.queryString("SELECT convalidated::text FROM pg_constraint WHERE conname = 'orders_customer_fk'"))
                .as("the next run adds it again, from the statement's first step").isEqualTo("true");
    }
}

package io.zerolock.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Real Flyway on real servers with zerolock's callback: what it stops, what it lets through, what it bounds. */
class ZerolockCallbackTest {

    private static final String INIT = """
            CREATE TABLE accounts (id int PRIMARY KEY, email text, balance int);
            INSERT INTO accounts SELECT g, 'a' || g, g FROM generate_series(1, 2000) g;
            """;

    /** A Flyway on {@code db} reading the migrations of {@code dir}, with zerolock's callback. */
    private static Flyway flyway(TestDatabase db, Path dir, Map<String, String> settings) {
        Map<String, String> configuration = new LinkedHashMap<>(settings);
        configuration.put("flyway.url", "jdbc:postgresql://localhost:" + db.port() + "/" + db.name());
        configuration.put("flyway.user", "postgres");
        configuration.put("flyway.locations", "filesystem:" + dir.toAbsolutePath());
        return Flyway.configure().configuration(configuration).callbacks(new ZerolockCallback()).load();
    }

    private static Path migrations(TestDatabase db, String... files) throws Exception {
        Path dir = Files.createTempDirectory("zerolock-flyway-" + db.name());
        for (int i = 0; i < files.length; i += 2) {
            Files.writeString(dir.resolve(files[i]), files[i + 1]);
        }
        return dir;
    }

    @PostgresTest
    void a_migration_that_would_lock_a_busy_table_is_stopped_before_anything_runs(TestDatabase db) throws Exception {
        Path dir = migrations(db, "V1__init.sql", INIT);
        flyway(db, dir, Map.of()).migrate();
        Files.writeString(dir.resolve("V2__email.sql"), "ALTER TABLE accounts ADD COLUMN note text;\n"
                + "CREATE INDEX accounts_email ON accounts (email);\n");

        assertThatThrownBy(() -> flyway(db, dir, Map.of()).migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("nothing was run").hasMessageContaining("V2__email.sql:2:1")
                .hasMessageContaining("ZL001").hasMessageContaining("CREATE INDEX CONCURRENTLY accounts_email");
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass "
                + "AND attname = 'note'")).as("not even the statement before it").isZero();

        // let through on purpose, the findings are only logged
        flyway(db, dir, Map.of(ZerolockFlywayConfiguration.FAIL_ON, "never")).migrate();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'accounts_email'")).isOne();
    }

    /** The project's .zerolock.toml applies: its severities and fail-on decide what stops the migrate. */
    @PostgresTest(versions = 18)
    void the_projects_zerolock_toml_decides_what_stops_the_migrate(TestDatabase db) throws Exception {
        Path dir = migrations(db, "V1__init.sql", INIT, "V2__email.sql",
                "CREATE INDEX accounts_email ON accounts (email);\n");
        Path strict = Files.writeString(dir.resolve("strict.toml"), "fail-on = \"warning\"\n");
        Path lenient = Files.writeString(dir.resolve("lenient.toml"), "[severity]\nZL001 = \"warning\"\n");
        flyway(db, dir, Map.of("flyway.target", "1")).migrate();

        assertThatThrownBy(() -> flyway(db, dir, Map.of(ZerolockFlywayConfiguration.CONFIG_FILE, strict.toString()))
                .migrate()).hasMessageContaining("ZL001");
        flyway(db, dir, Map.of(ZerolockFlywayConfiguration.CONFIG_FILE, lenient.toString())).migrate();
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'accounts_email'")).isOne();
        assertThatThrownBy(() -> flyway(db, dir, Map.of(ZerolockFlywayConfiguration.CONFIG_FILE,
                dir.resolve("missing.toml").toString())).migrate()).hasMessageContaining("missing.toml");
    }

    @PostgresTest
    void a_safe_migration_runs_and_a_concurrent_build_behind_flyways_own_lock_is_refused(TestDatabase db)
            throws Exception {
        Path dir = migrations(db, "V1__init.sql", INIT, "V2__email.sql",
                "CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n");
        assertThatThrownBy(() -> flyway(db, dir, Map.of("flyway.postgresql.transactional.lock", "true")).migrate())
                .hasMessageContaining("flyway.postgresql.transactional.lock=false")
                .hasMessageContaining("would wait forever");
        assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'accounts_email'")).isZero();

        flyway(db, dir, Map.of("flyway.postgresql.transactional.lock", "false")).migrate();
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email'::regclass"))
                .isEqualTo("true");
    }

    @PostgresTest
    void a_statement_behind_a_lock_fails_after_the_lock_timeout_with_nothing_half_applied(TestDatabase db)
            throws Exception {
        Path dir = migrations(db, "V1__init.sql", INIT);
        flyway(db, dir, Map.of()).migrate();
        Files.writeString(dir.resolve("V2__note.sql"), "ALTER TABLE accounts ADD COLUMN note text;\n"
                + "ALTER TABLE accounts ADD COLUMN tier int;\n");
        Map<String, String> quick = Map.of(ZerolockFlywayConfiguration.LOCK_TIMEOUT, "200ms");
        try (Connection holder = db.connect(); Statement holding = holder.createStatement()) {
            holding.execute("BEGIN");
            holding.execute("LOCK TABLE accounts IN ACCESS SHARE MODE");
            long started = System.nanoTime();
            assertThatThrownBy(() -> flyway(db, dir, quick).migrate()).isInstanceOf(FlywayException.class)
                    .hasMessageContaining("lock timeout");
            assertThat(System.nanoTime() - started).as("failed after the lock timeout, not hanging")
                    .isLessThan(java.time.Duration.ofSeconds(20).toNanos());
            holding.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2' AND success"))
                .isZero();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass "
                + "AND attname IN ('note', 'tier')")).as("nothing half-applied").isZero();

        flyway(db, dir, quick).migrate();
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass "
                + "AND attname IN ('note', 'tier')")).isEqualTo(2);
        assertThat(db.queryString("SELECT current_setting('lock_timeout')")).as("another session's own").isEqualTo("0");
    }

    /** ZerolockFlyway.migrate: a migration that timed out on a lock runs again, and goes through once it is free. */
    @PostgresTest(versions = {14, 18})
    void a_migration_that_times_out_on_a_lock_is_run_again_until_it_gets_through(TestDatabase db) throws Exception {
        Path dir = migrations(db, "V1__init.sql", INIT);
        flyway(db, dir, Map.of()).migrate();
        Files.writeString(dir.resolve("V2__note.sql"), "ALTER TABLE accounts ADD COLUMN note text;\n");
        Map<String, String> quick = Map.of(ZerolockFlywayConfiguration.LOCK_TIMEOUT, "200ms");
        try (Connection holder = db.connect(); Statement holding = holder.createStatement()) {
            holding.execute("BEGIN");
            holding.execute("LOCK TABLE accounts IN ACCESS SHARE MODE");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    holding.execute("ROLLBACK");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            ZerolockFlyway.migrate(flyway(db, dir, quick));
            release.join();
        }
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '2' AND success"))
                .isOne();

        Files.writeString(dir.resolve("V3__tier.sql"), "ALTER TABLE accounts ADD COLUMN tier int;\n");
        try (Connection holder = db.connect(); Statement holding = holder.createStatement()) {
            holding.execute("BEGIN");
            holding.execute("LOCK TABLE accounts IN ACCESS SHARE MODE");
            assertThatThrownBy(() -> ZerolockFlyway.migrate(flyway(db, dir, quick), 3))
                    .as("a lock never released: the last failure, after three tries").hasMessageContaining("lock timeout");
            holding.execute("ROLLBACK");
        }
        assertThat(db.queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '3'")).isZero();
    }

    @PostgresTest
    void a_failed_unique_concurrent_build_leaves_no_invalid_index_and_the_fixed_migration_succeeds(TestDatabase db)
            throws Exception {
        Map<String, String> sessionLock = Map.of("flyway.postgresql.transactional.lock", "false");
        Path dir = migrations(db, "V1__init.sql", INIT + "UPDATE accounts SET email = 'same' WHERE id IN (1, 2);\n");
        flyway(db, dir, sessionLock).migrate();
        Files.writeString(dir.resolve("V2__unique.sql"),
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_key ON accounts (email);\n");

        assertThatThrownBy(() -> flyway(db, dir, sessionLock).migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("could not create unique index");
        assertThat(db.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid")).as("no invalid index left")
                .isZero();

        db.execute("UPDATE accounts SET email = 'other' WHERE id = 2");
        Flyway again = flyway(db, dir, sessionLock);
        again.repair(); // a failed migration outside a transaction is recorded as failed: Flyway's own way on
        again.migrate();
        assertThat(db.queryString("SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                + "'accounts_email_key'::regclass")).as("built again, not accepted as it was").isEqualTo("true");
    }
}

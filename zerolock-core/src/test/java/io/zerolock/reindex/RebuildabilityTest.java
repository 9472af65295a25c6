package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.catalog.CatalogReader;
import io.zerolock.catalog.IndexDefinition;
import io.zerolock.catalog.NameResolver;
import io.zerolock.catalog.ServerInfo;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;

class RebuildabilityTest {

    @PostgresTest
    void plain_and_constraint_indexes_can_be_rebuilt_online(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE parent (id int PRIMARY KEY, email text UNIQUE)",
                "CREATE TABLE child (p int REFERENCES parent)", "CREATE INDEX child_p ON child (p)");
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            for (String name : new String[] {"parent_pkey", "parent_email_key", "child_p"}) {
                RebuildVerdict verdict = verdict(catalog, name, catalog.server());
                assertThat(verdict.online()).as(name).isTrue();
                if (db.majorVersion() >= 12) {
                    assertThat(verdict.strategies()).containsExactly(Strategy.NATIVE, Strategy.SWAP);
                    assertThat(verdict.reason()).isNull();
                } else {
                    assertThat(verdict.strategies()).containsExactly(Strategy.SWAP);
                    assertThat(verdict.reason()).isEqualTo("native needs PostgreSQL 12+");
                }
            }
        }
    }

    @PostgresTest
    void refuses_exclusion_constraints_system_catalogs_and_temporary_tables(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE slots (r int4range, EXCLUDE USING gist (r WITH &&))");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE scratch (id int PRIMARY KEY)");
            CatalogReader catalog = new CatalogReader(connection);
            RebuildVerdict exclusion = verdict(catalog, "slots_r_excl", catalog.server());
            assertThat(exclusion.online()).isFalse();
            assertThat(exclusion.reason()).startsWith("index of an exclusion constraint");
            assertThat(exclusion.alternative()).startsWith("REINDEX INDEX in a maintenance window");

            RebuildVerdict system = verdict(catalog, "pg_catalog.pg_class_oid_index", catalog.server());
            assertThat(system.online()).isFalse();
            assertThat(system.reason()).startsWith("index of a system catalog");

            RebuildVerdict temporary = verdict(catalog, "scratch_pkey", catalog.server());
            assertThat(temporary.online()).isFalse();
            assertThat(temporary.reason()).startsWith("index of a temporary table");
        }
    }

    @PostgresTest(versions = 14)
    void refuses_servers_that_corrupt_concurrent_builds_and_replicas(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            ServerInfo real = catalog.server();
            ServerInfo broken = new ServerInfo(140003, "14.3", false, real.database(), real.currentUser(), true, "");
            RebuildVerdict onBroken = verdict(catalog, "t_pkey", broken);
            assertThat(onBroken.online()).isFalse();
            assertThat(onBroken.reason()).isEqualTo("PostgreSQL 14.3 can corrupt indexes built concurrently (fixed in 14.4)");

            ServerInfo fixed = new ServerInfo(140004, "14.4", false, real.database(), real.currentUser(), true, "");
            assertThat(verdict(catalog, "t_pkey", fixed).online()).isTrue();

            ServerInfo replica = new ServerInfo(real.versionNum(), real.version(), true, real.database(),
                    real.currentUser(), true, "");
            RebuildVerdict onReplica = verdict(catalog, "t_pkey", replica);
            assertThat(onReplica.online()).isFalse();
            assertThat(onReplica.reason()).contains("replica");
            assertThat(onReplica.alternative()).contains("primary");
        }
    }

    @PostgresTest
    void partitioned_indexes_and_foreign_keys_from_partitioned_tables_need_native(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE account (id bigint PRIMARY KEY);
                CREATE TABLE event (account_id bigint REFERENCES account, at date NOT NULL, id int,
                    PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
                CREATE TABLE event_2026 PARTITION OF event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                """);
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            for (String name : new String[] {"account_pkey", "event_pkey", "event_2026_pkey"}) {
                RebuildVerdict verdict = verdict(catalog, name, catalog.server());
                assertThat(verdict.strategies()).as(name).doesNotContain(Strategy.SWAP);
                assertThat(verdict.reason()).as(name).contains("use --strategy native");
                assertThat(verdict.online()).as(name).isEqualTo(db.majorVersion() >= 12);
            }
        }
    }

    private static RebuildVerdict verdict(CatalogReader catalog, String name, ServerInfo server) {
        IndexDefinition index = catalog.requireIndex(new NameResolver(catalog).index(name).oid());
        return Rebuildability.assess(index, catalog.constraintUsingIndex(index.oid()),
                catalog.foreignKeysReferencing(index.oid()), server);
    }
}

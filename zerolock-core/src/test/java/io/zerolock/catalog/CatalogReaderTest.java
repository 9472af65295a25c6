package io.zerolock.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;

class CatalogReaderTest {

    /** Every scenario runs in {@code public} and in a schema whose name needs quoting. */
    private static final List<String> SCHEMAS = List.of("public", "Sales \"EU\" Ops");

    @PostgresTest
    void reads_index_properties_exactly(TestDatabase db) {
        for (String schema : SCHEMAS) {
            String s = Identifiers.quote(schema);
            db.execute("CREATE SCHEMA IF NOT EXISTS " + s,
                    "CREATE TABLE " + s + ".items (id bigint PRIMARY KEY, name text NOT NULL, code varchar(20) NOT NULL, "
                            + "note text, price numeric, created timestamptz)",
                    "CREATE INDEX items_multi ON " + s + ".items (name COLLATE \"C\" DESC NULLS FIRST, code NULLS FIRST)",
                    "CREATE INDEX items_pattern ON " + s + ".items (code text_pattern_ops)",
                    "CREATE INDEX items_partial ON " + s + ".items (created) WHERE note <> 'WHERE it hurts'",
                    "CREATE INDEX items_expr ON " + s + ".items (lower(name), (price * 2))",
                    "ALTER INDEX " + s + ".items_expr ALTER COLUMN 1 SET STATISTICS 500",
                    "CREATE UNIQUE INDEX items_include ON " + s + ".items (code) INCLUDE (name, price) "
                            + "WITH (fillfactor = 70)",
                    "COMMENT ON INDEX " + s + ".items_include IS 'covering; keep'",
                    "CLUSTER " + s + ".items USING items_include",
                    "ALTER TABLE " + s + ".items REPLICA IDENTITY USING INDEX items_include",
                    "CREATE INDEX items_gin ON " + s + ".items USING gin (to_tsvector('simple', note))",
                    "CREATE INDEX items_brin ON " + s + ".items USING brin (created)",
                    "CREATE INDEX items_hash ON " + s + ".items USING hash (code)");
            try (Connection connection = db.connect()) {
                CatalogReader catalog = new CatalogReader(connection);
                NameResolver names = new NameResolver(catalog);
                String prefix = QualifiedName.of(schema, "x").display().replaceAll("x$", "");

                IndexDefinition multi = catalog.requireIndex(names.index(prefix + "items_multi").oid());
                assertThat(multi.name()).isEqualTo(QualifiedName.of(schema, "items_multi"));
                assertThat(multi.table()).isEqualTo(QualifiedName.of(schema, "items"));
                assertThat(multi.accessMethod()).isEqualTo("btree");
                // DESC implies NULLS FIRST, so pg_get_indexdef leaves it out; ASC NULLS FIRST is spelled out
                assertThat(multi.definition()).endsWith("(name COLLATE \"C\" DESC, code NULLS FIRST)");
                IndexColumn first = multi.columns().get(0);
                assertThat(first.collation()).isEqualTo("C");
                assertThat(first.descending()).isTrue();
                assertThat(first.nullsFirst()).isTrue();
                assertThat(multi.columns().get(1).descending()).isFalse();
                assertThat(multi.columns().get(1).nullsFirst()).isTrue();
                assertThat(multi.valid()).isTrue();
                assertThat(multi.ready()).isTrue();
                assertThat(multi.unique()).isFalse();
                assertThat(multi.persistence()).isEqualTo(Persistence.PERMANENT);
                assertThat(multi.sizeBytes()).isPositive();

                IndexDefinition pattern = catalog.requireIndex(names.index(prefix + "items_pattern").oid());
                assertThat(pattern.columns().get(0).operatorClass()).isEqualTo("text_pattern_ops");

                IndexDefinition partial = catalog.requireIndex(names.index(prefix + "items_partial").oid());
                assertThat(partial.isPartial()).isTrue();
                assertThat(partial.predicate()).isEqualTo("(note <> 'WHERE it hurts'::text)");

                IndexDefinition expr = catalog.requireIndex(names.index(prefix + "items_expr").oid());
                assertThat(expr.expressions()).containsExactly("lower(name)", "(price * 2::numeric)");
                assertThat(expr.statisticsTargets()).containsExactly(org.assertj.core.api.Assertions.entry(1, 500));

                IndexDefinition include = catalog.requireIndex(names.index(prefix + "items_include").oid());
                assertThat(include.unique()).isTrue();
                assertThat(include.keyColumns()).extracting(IndexColumn::definition).containsExactly("code");
                assertThat(include.includeColumns()).extracting(IndexColumn::definition).containsExactly("name", "price");
                assertThat(include.storageParameters()).containsExactly("fillfactor=70");
                assertThat(include.comment()).isEqualTo("covering; keep");
                assertThat(include.clustered()).isTrue();
                assertThat(include.replicaIdentity()).isTrue();
                assertThat(include.owner()).isEqualTo("postgres");
                assertThat(include.tablespace()).isNull();
                assertThat(catalog.table(include.tableOid()).orElseThrow().replicaIdentity())
                        .isEqualTo(ReplicaIdentity.INDEX);

                assertThat(catalog.requireIndex(names.index(prefix + "items_gin").oid()).accessMethod()).isEqualTo("gin");
                assertThat(catalog.requireIndex(names.index(prefix + "items_brin").oid()).accessMethod()).isEqualTo("brin");
                assertThat(catalog.requireIndex(names.index(prefix + "items_hash").oid()).accessMethod()).isEqualTo("hash");

                IndexDefinition primary = catalog.requireIndex(names.index(prefix + "items_pkey").oid());
                assertThat(primary.primary()).isTrue();
                Constraint pk = catalog.constraintUsingIndex(primary.oid()).orElseThrow();
                assertThat(pk.type()).isEqualTo(ConstraintType.PRIMARY_KEY);
                assertThat(pk.name()).isEqualTo("items_pkey");
                assertThat(pk.indexOid()).isEqualTo(primary.oid());
                assertThat(catalog.constraintUsingIndex(multi.oid())).isEmpty();
            } catch (java.sql.SQLException e) {
                Assertions.fail(e);
            }
        }
    }

    @PostgresTest(minVersion = 15)
    void reads_nulls_not_distinct(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (a int)", "CREATE UNIQUE INDEX t_a ON t (a) NULLS NOT DISTINCT");
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            IndexDefinition index = catalog.requireIndex(new NameResolver(catalog).index("t_a").oid());
            assertThat(index.nullsNotDistinct()).isTrue();
        }
    }

    @PostgresTest
    void reads_foreign_keys_with_their_exact_definitions(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE parent (id bigint, tenant int, CONSTRAINT parent_pk PRIMARY KEY (id),
                    CONSTRAINT parent_tenant_id UNIQUE (tenant, id));
                CREATE TABLE deferred_parent (id bigint CONSTRAINT deferred_pk PRIMARY KEY
                    DEFERRABLE INITIALLY DEFERRED);
                CREATE TABLE child_cascade (id int, parent_id bigint REFERENCES parent ON DELETE CASCADE);
                CREATE TABLE child_null (id int, parent_id bigint REFERENCES parent ON UPDATE SET NULL
                    ON DELETE SET NULL);
                CREATE TABLE child_full (tenant int, parent_id bigint, FOREIGN KEY (tenant, parent_id)
                    REFERENCES parent (tenant, id) MATCH FULL);
                CREATE TABLE child_deferred (parent_id bigint);
                ALTER TABLE child_deferred ADD CONSTRAINT child_deferred_fk FOREIGN KEY (parent_id)
                    REFERENCES parent DEFERRABLE INITIALLY DEFERRED;
                CREATE TABLE child_not_valid (parent_id bigint);
                ALTER TABLE child_not_valid ADD CONSTRAINT child_not_valid_fk FOREIGN KEY (parent_id)
                    REFERENCES parent NOT VALID;
                ALTER TABLE parent ADD COLUMN manager bigint REFERENCES parent;
                """);
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            NameResolver names = new NameResolver(catalog);
            Constraint deferredPk = catalog.constraintUsingIndex(names.index("deferred_pk").oid()).orElseThrow();
            assertThat(deferredPk.deferrable()).isTrue();
            assertThat(deferredPk.initiallyDeferred()).isTrue();
            assertThat(deferredPk.definition()).isEqualTo("PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED");
            long pk = names.index("parent_pk").oid();

            List<ForeignKey> keys = catalog.foreignKeysReferencing(pk);
            assertThat(keys).extracting(fk -> fk.table().name())
                    .containsExactlyInAnyOrder("child_cascade", "child_null", "child_deferred", "child_not_valid",
                            "parent");
            ForeignKey cascade = find(keys, "child_cascade");
            assertThat(cascade.onDelete()).isEqualTo(ForeignKey.Action.CASCADE);
            assertThat(cascade.onUpdate()).isEqualTo(ForeignKey.Action.NO_ACTION);
            assertThat(cascade.columns()).containsExactly("parent_id");
            assertThat(cascade.referencedColumns()).containsExactly("id");
            assertThat(cascade.referencedIndexOid()).isEqualTo(pk);
            assertThat(cascade.isInherited()).isFalse();
            ForeignKey setNull = find(keys, "child_null");
            assertThat(setNull.onDelete()).isEqualTo(ForeignKey.Action.SET_NULL);
            assertThat(setNull.onUpdate()).isEqualTo(ForeignKey.Action.SET_NULL);
            ForeignKey deferred = find(keys, "child_deferred");
            assertThat(deferred.deferrable()).isTrue();
            assertThat(deferred.initiallyDeferred()).isTrue();
            assertThat(deferred.definition()).endsWith("DEFERRABLE INITIALLY DEFERRED");
            assertThat(find(keys, "child_not_valid").validated()).isFalse();
            assertThat(find(keys, "child_not_valid").definition()).endsWith("NOT VALID");
            ForeignKey self = find(keys, "parent");
            assertThat(self.referencedTable()).isEqualTo(self.table());

            List<ForeignKey> multiColumn = catalog.foreignKeysReferencing(names.index("parent_tenant_id").oid());
            assertThat(multiColumn).singleElement().satisfies(fk -> {
                assertThat(fk.match()).isEqualTo(ForeignKey.Match.FULL);
                assertThat(fk.columns()).containsExactly("tenant", "parent_id");
                assertThat(fk.referencedColumns()).containsExactly("tenant", "id");
            });
        }
    }

    @PostgresTest
    void understands_foreign_keys_declared_on_partitioned_tables(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE account (id bigint PRIMARY KEY);
                CREATE TABLE event (account_id bigint REFERENCES account, at date NOT NULL) PARTITION BY RANGE (at);
                CREATE TABLE event_2025 PARTITION OF event FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
                CREATE TABLE event_2026 PARTITION OF event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                """);
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            long pk = new NameResolver(catalog).index("account_pkey").oid();
            List<ForeignKey> keys = catalog.foreignKeysReferencing(pk);
            assertThat(keys).hasSize(3);
            ForeignKey declared = keys.get(0);
            assertThat(declared.isInherited()).isFalse();
            assertThat(declared.table().name()).isEqualTo("event");
            assertThat(declared.tableKind()).isEqualTo(RelationKind.PARTITIONED_TABLE);
            assertThat(declared.onPartitionedTable()).isTrue();
            assertThat(keys.subList(1, 3)).allSatisfy(clone -> {
                assertThat(clone.isInherited()).isTrue();
                assertThat(clone.parentOid()).isEqualTo(declared.oid());
                assertThat(clone.root().oid()).isEqualTo(declared.oid());
                assertThat(clone.root().table().name()).isEqualTo("event");
                assertThat(clone.onPartitionedTable()).isTrue();
            }).extracting(fk -> fk.table().name()).containsExactly("event_2025", "event_2026");
        }
    }

    @PostgresTest(minVersion = 12)
    void understands_partitioned_primary_keys_and_foreign_keys_to_them(TestDatabase db) throws Exception {
        db.execute("""
                CREATE TABLE orders (id bigint, region text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
                CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
                CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us') PARTITION BY HASH (id);
                CREATE TABLE orders_us_0 PARTITION OF orders_us FOR VALUES WITH (MODULUS 2, REMAINDER 0);
                CREATE TABLE orders_us_1 PARTITION OF orders_us FOR VALUES WITH (MODULUS 2, REMAINDER 1);
                CREATE TABLE line (order_id bigint, region text, FOREIGN KEY (order_id, region) REFERENCES orders);
                """);
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            NameResolver names = new NameResolver(catalog);
            IndexDefinition pk = catalog.requireIndex(names.index("orders_pkey").oid());
            assertThat(pk.partitioned()).isTrue();
            assertThat(catalog.indexes(pk.leafIndexOids())).extracting(i -> i.name().name())
                    .containsExactlyInAnyOrder("orders_eu_pkey", "orders_us_0_pkey", "orders_us_1_pkey");
            assertThat(pk.sizeBytes()).isPositive();
            Table table = catalog.table(pk.tableOid()).orElseThrow();
            assertThat(table.isPartitioned()).isTrue();
            assertThat(table.partitionKey()).isEqualTo("LIST (region)");

            IndexDefinition leaf = catalog.requireIndex(names.index("orders_eu_pkey").oid());
            assertThat(leaf.isPartitionLeaf()).isTrue();
            assertThat(leaf.parentIndexOid()).isEqualTo(pk.oid());
            Table eu = catalog.table(leaf.tableOid()).orElseThrow();
            assertThat(eu.isPartition()).isTrue();
            assertThat(eu.partitionParentOid()).isEqualTo(pk.tableOid());
            assertThat(eu.partitionBound()).isEqualTo("FOR VALUES IN ('eu')");

            ForeignKey declared = catalog.foreignKeysReferencing(pk.oid()).get(0);
            assertThat(declared.table().name()).isEqualTo("line");
            assertThat(declared.isInherited()).isFalse();
            List<ForeignKey> leafKeys = catalog.foreignKeysReferencing(leaf.oid());
            assertThat(leafKeys).singleElement().satisfies(clone -> {
                assertThat(clone.isInherited()).isTrue();
                assertThat(clone.root().oid()).isEqualTo(declared.oid());
                assertThat(clone.referencedTable().name()).isEqualTo("orders_eu");
            });
        }
    }

    @PostgresTest
    void reads_quoted_unicode_and_63_byte_names_and_same_name_in_two_schemas(TestDatabase db) throws Exception {
        String longName = "i".repeat(63);
        db.execute("CREATE SCHEMA \"Café Ünï\"", "CREATE SCHEMA other",
                "CREATE TABLE \"Café Ünï\".\"Order Items\" (\"Id\" int, \"ñame\" text)",
                "CREATE INDEX \"Idx \"\"Quoted\"\" Ñ\" ON \"Café Ünï\".\"Order Items\" (\"ñame\")",
                "CREATE INDEX " + longName + " ON \"Café Ünï\".\"Order Items\" (\"Id\")",
                "CREATE TABLE public.dup (a int)", "CREATE TABLE other.dup (a int)",
                "CREATE INDEX dup_a ON public.dup (a)", "CREATE INDEX dup_a ON other.dup (a)");
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            NameResolver names = new NameResolver(catalog);
            IndexDefinition quoted = catalog.requireIndex(names.index("\"Café Ünï\".\"Idx \"\"Quoted\"\" Ñ\"").oid());
            assertThat(quoted.name()).isEqualTo(QualifiedName.of("Café Ünï", "Idx \"Quoted\" Ñ"));
            assertThat(quoted.name().sql()).isEqualTo("\"Café Ünï\".\"Idx \"\"Quoted\"\" Ñ\"");
            assertThat(quoted.name().display()).isEqualTo("\"Café Ünï\".\"Idx \"\"Quoted\"\" Ñ\"");
            assertThat(quoted.table().name()).isEqualTo("Order Items");
            assertThat(quoted.columns().get(0).definition()).isEqualTo("\"ñame\"");

            IndexDefinition longest = catalog.requireIndex(names.index("\"Café Ünï\"." + longName + "_ignored").oid());
            assertThat(longest.name().name()).hasSize(63);

            IndexDefinition publicDup = catalog.requireIndex(names.index("dup_a").oid());
            IndexDefinition otherDup = catalog.requireIndex(names.index("other.dup_a").oid());
            assertThat(publicDup.name().schema()).isEqualTo("public");
            assertThat(otherDup.name().schema()).isEqualTo("other");
            assertThat(publicDup.oid()).isNotEqualTo(otherDup.oid());
            assertThat(catalog.indexOids("other", null)).containsExactly(otherDup.oid());
        }
    }

    @PostgresTest
    void reads_an_invalid_index_left_by_a_failed_concurrent_unique_build(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE visits (id int, email text)",
                "INSERT INTO visits VALUES (1, 'a@example.com'), (2, 'a@example.com')");
        Assertions.assertThrows(IllegalStateException.class,
                () -> db.execute("CREATE UNIQUE INDEX CONCURRENTLY visits_email ON visits (email)"));
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            IndexDefinition invalid = catalog.requireIndex(new NameResolver(catalog).index("visits_email").oid());
            assertThat(invalid.valid()).isFalse();
            assertThat(invalid.unique()).isTrue();
            assertThat(catalog.constraintUsingIndex(invalid.oid())).isEmpty();
        }
    }

    @PostgresTest
    void reads_table_facts(TestDatabase db) throws Exception {
        db.execute("CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY)",
                "INSERT INTO scratch SELECT generate_series(1, 1000)", "ANALYZE scratch",
                "CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM scratch",
                "CREATE UNIQUE INDEX totals_n ON totals (n)");
        try (Connection connection = db.connect()) {
            CatalogReader catalog = new CatalogReader(connection);
            NameResolver names = new NameResolver(catalog);
            Table scratch = catalog.table(names.table("scratch").oid()).orElseThrow();
            assertThat(scratch.persistence()).isEqualTo(Persistence.UNLOGGED);
            assertThat(scratch.kind()).isEqualTo(RelationKind.TABLE);
            assertThat(scratch.tableBytes()).isPositive();
            assertThat(scratch.indexesBytes()).isPositive();
            assertThat(scratch.totalBytes()).isEqualTo(scratch.tableBytes() + scratch.indexesBytes());
            assertThat(scratch.estimatedRows()).isEqualTo(1000);
            assertThat(scratch.isPartition()).isFalse();
            assertThat(scratch.systemCatalog()).isFalse();
            IndexDefinition onView = catalog.requireIndex(names.index("totals_n").oid());
            assertThat(onView.tableKind()).isEqualTo(RelationKind.MATERIALIZED_VIEW);
            Optional<Table> pgClass = catalog.table(names.table("pg_class").oid());
            assertThat(pgClass.orElseThrow().systemCatalog()).isTrue();
        }
    }

    private static ForeignKey find(List<ForeignKey> keys, String table) {
        return keys.stream().filter(fk -> fk.table().name().equals(table)).findFirst().orElseThrow();
    }
}

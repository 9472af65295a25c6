package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The safe SQL of a finding names the statement's own table, columns, constraint and index. */
class SafeSqlTest {

    private static String safe(String sql, String rule) {
        Checker.Report report = Checker.check(List.of(new Checker.Source("V1.sql", "SET lock_timeout = '1s';\n" + sql)),
                18, Set.of());
        return report.findings().stream().filter(f -> f.ruleId().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " for " + sql)).safe();
    }

    @Test
    void fills_in_the_statements_names() {
        assertThat(safe("CREATE UNIQUE INDEX orders_code_key ON shop.orders (code);", "ZL001"))
                .startsWith("CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON shop.orders (code);");
        assertThat(safe("REINDEX TABLE orders;", "ZL003"))
                .startsWith("REINDEX TABLE CONCURRENTLY orders;").endsWith("zerolock reindex --table orders");
        assertThat(safe("ALTER TABLE \"Orders\" ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES customers (id);",
                "ZL009")).startsWith("ALTER TABLE \"Orders\" ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES "
                        + "customers (id) NOT VALID;").contains("ALTER TABLE \"Orders\" VALIDATE CONSTRAINT fk;");
        assertThat(safe("ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;", "ZL007"))
                .startsWith("ALTER TABLE orders ADD CONSTRAINT zerolock_customer_id_not_null CHECK (customer_id IS "
                        + "NOT NULL) NOT VALID;").contains("ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;")
                .endsWith("ALTER TABLE orders DROP CONSTRAINT zerolock_customer_id_not_null;");
        assertThat(safe("ALTER TABLE customers ADD CONSTRAINT email_key UNIQUE (email);", "ZL011"))
                .startsWith("CREATE UNIQUE INDEX CONCURRENTLY email_key ON customers (email);");
        // what the statement does not say stays a placeholder
        assertThat(safe("ALTER TABLE orders ALTER COLUMN amount TYPE bigint;", "ZL014"))
                .contains("ADD COLUMN <new> bigint").contains("RENAME COLUMN amount TO amount_retired");
    }

    @Test
    void the_safe_form_keeps_every_clause_of_the_statement() {
        assertThat(safe("CREATE INDEX t_s ON t USING gin (s gin_trgm_ops) INCLUDE (x) WITH (fastupdate = off) "
                + "TABLESPACE fast WHERE s LIKE '50%';", "ZL001"))
                .startsWith("CREATE INDEX CONCURRENTLY t_s ON t USING gin (s gin_trgm_ops) INCLUDE (x) WITH (fastupdate "
                        + "= off) TABLESPACE fast WHERE s LIKE '50%';");
        assertThat(safe("ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES "
                + "customers ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;", "ZL009"))
                .startsWith("ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES "
                        + "customers ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;")
                .contains("ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;");
        assertThat(safe("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0 AND note <> '');", "ZL008"))
                .startsWith("ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0 AND note <> '') NOT VALID;");
        // whether orders.id is NOT NULL is not known here: the key's column is made NOT NULL first, without a scan
        assertThat(safe("ALTER TABLE orders ADD PRIMARY KEY (id) DEFERRABLE;", "ZL011"))
                .startsWith("ALTER TABLE orders ADD CONSTRAINT zerolock_id_not_null CHECK (id IS NOT NULL) NOT VALID;")
                .contains("CREATE UNIQUE INDEX CONCURRENTLY orders_pkey ON orders (id);")
                .contains("ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_pkey DEFERRABLE;");
        assertThat(safe("ALTER TABLE orders ADD UNIQUE NULLS NOT DISTINCT (code, total) INCLUDE (note);", "ZL011"))
                .startsWith("CREATE UNIQUE INDEX CONCURRENTLY orders_code_total_note_key ON orders (code, total) INCLUDE (note) "
                        + "NULLS NOT DISTINCT;");
        Checker.Report drop = Checker.check(List.of(new Checker.Source("V1.sql", "CREATE INDEX CONCURRENTLY a ON t (x);\n"
                + "CREATE INDEX CONCURRENTLY b ON t (y);"), new Checker.Source("V2.sql", "DROP INDEX IF EXISTS a, b;")), 18,
                Set.of());
        assertThat(drop.findings().stream().filter(f -> f.ruleId().equals("ZL002")).findFirst().orElseThrow().safe())
                .startsWith("DROP INDEX CONCURRENTLY IF EXISTS a;\nDROP INDEX CONCURRENTLY IF EXISTS b;");
    }
}

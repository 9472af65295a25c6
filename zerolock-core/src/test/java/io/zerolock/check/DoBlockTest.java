package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DDL inside DO blocks: constant EXECUTEs are checked, the rest is said to need --trace. */
class DoBlockTest {

    private static Checker.Report check(String sql) {
        return Checker.check(List.of(new Checker.Source("V1.sql", "CREATE TABLE orders (id int, status text);"),
                new Checker.Source("V2.sql", sql)), 18, Set.of());
    }

    @Test
    void a_constant_execute_is_checked_as_the_statement_it_runs() {
        Checker.Report report = check("SET lock_timeout = '1s';\nDO $$\nBEGIN\n  EXECUTE 'CREATE INDEX o_s ON orders "
                + "(status)';\n  EXECUTE 'ALTER TABLE orders ALTER COLUMN id TYPE bigint';\nEND $$;\n");
        assertThat(report.findings()).extracting(f -> f.ruleId() + "@" + f.line()).containsExactly("ZL001@2", "ZL014@2");
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void ddl_the_checker_cannot_follow_is_a_warning_pointing_at_the_trace() {
        Checker.Report report = check("DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'm') THEN\n"
                + "  CREATE TYPE m AS ENUM ('a');\nEND IF;\nEXECUTE format('ALTER TABLE %I ADD COLUMN x int', 'orders');\n"
                + "END $do$;\nDO $$ BEGIN RAISE NOTICE 'no DDL here: create nothing'; END $$;\n");
        assertThat(report.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.message()).contains("DO block runs DDL").contains("--trace");
        });
    }
}

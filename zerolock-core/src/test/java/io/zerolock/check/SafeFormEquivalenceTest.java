package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.check.lex.Splitter;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;

/**
 * The safe SQL means what the statement meant: for every rule whose safe form is executable, the
 * original runs in one schema and the safe form in another, from the same start; the catalogs are then
 * the same (same objects, definitions, constraint names, validity and deferrability).
 */
class SafeFormEquivalenceTest {

    private static final String SETUP = """
            CREATE TABLE p (id int PRIMARY KEY);
            INSERT INTO p SELECT generate_series(1, 100);
            CREATE TABLE t (id int NOT NULL, p int, n int, s text, code text, note text);
            INSERT INTO t SELECT g, 1 + g % 100, g, g::text, 'c' || g, 'n' FROM generate_series(1, 200) g;
            CREATE INDEX t_old ON t (n);
            CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);
            CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
            """;

    /** rule, the minimum version, the statement. */
    private static final List<String[]> CASES = List.of(
            new String[] {"ZL001", "11", "CREATE INDEX t_s ON t (s) WHERE s LIKE '50%';"},
            new String[] {"ZL001", "11", "CREATE UNIQUE INDEX t_code ON t (code text_pattern_ops DESC) INCLUDE (note) "
                    + "WITH (fillfactor = 70);"},
            new String[] {"ZL001", "11", "CREATE INDEX ON t USING hash (lower(code));"},
            new String[] {"ZL002", "11", "DROP INDEX t_old;"},
            new String[] {"ZL008", "11", "ALTER TABLE t ADD CONSTRAINT t_positive CHECK (n > 0 AND note <> '');"},
            new String[] {"ZL008", "11", "ALTER TABLE t ADD CHECK (n >= 0);"},
            new String[] {"ZL009", "11", "ALTER TABLE t ADD CONSTRAINT t_p_fk FOREIGN KEY (p) REFERENCES p (id) "
                    + "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;"},
            new String[] {"ZL009", "11", "ALTER TABLE t ADD FOREIGN KEY (p) REFERENCES p MATCH FULL;"},
            new String[] {"ZL011", "11", "ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE (code) DEFERRABLE;"},
            new String[] {"ZL011", "11", "ALTER TABLE t ADD UNIQUE (code, n) INCLUDE (note) WITH (fillfactor = 80);"},
            new String[] {"ZL011", "11", "ALTER TABLE t ADD PRIMARY KEY (id);"},
            new String[] {"ZL011", "15", "ALTER TABLE t ADD UNIQUE NULLS NOT DISTINCT (s);"},
            new String[] {"ZL007", "12", "ALTER TABLE t ALTER COLUMN n SET NOT NULL;"},
            new String[] {"ZL007", "12", "ALTER TABLE t ALTER p SET NOT NULL;"},
            new String[] {"ZL011", "12", "ALTER TABLE t ADD CONSTRAINT t_n_pk PRIMARY KEY (n);"},
            new String[] {"ZL011", "11", "ALTER TABLE t ADD COLUMN code2 text UNIQUE;"},
            new String[] {"ZL011", "11", "ALTER TABLE t ADD COLUMN \"Code 3\" varchar(20) CONSTRAINT \"T code 3\" UNIQUE;"},
            new String[] {"ZL009", "11", "ALTER TABLE t ADD COLUMN p2 int REFERENCES p (id);"},
            new String[] {"ZL009", "11", "ALTER TABLE t ADD p3 int CONSTRAINT t_p3_fk REFERENCES p ON DELETE CASCADE;"},
            new String[] {"ZL006", "12", "ALTER TABLE t ADD COLUMN r float8 NOT NULL DEFAULT random();"});
    // Not here: DETACH PARTITION ... CONCURRENTLY (ZL017), which by design leaves a CHECK constraint of the old
    // bounds on the detached table; its safe SQL says so.

    @PostgresTest
    void the_safe_form_leaves_the_catalog_the_original_leaves(TestDatabase db) throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (String[] each : CASES) {
            if (db.majorVersion() < Integer.parseInt(each[1])) {
                continue;
            }
            String statement = each[2];
            Checker.Report report = Checker.check(List.of(new Checker.Source("V1__setup.sql", SETUP),
                    new Checker.Source("V2__change.sql", statement)), db.majorVersion(), Set.of());
            String safe = report.findings().stream().filter(f -> f.ruleId().equals(each[0])).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + each[0] + " for " + statement)).safe();
            softly.assertThat(safe).as(statement).doesNotContainPattern("<[a-z-]+>").doesNotContain("(...)");

            db.execute("DROP SCHEMA IF EXISTS zl_orig CASCADE", "DROP SCHEMA IF EXISTS zl_safe CASCADE",
                    "CREATE SCHEMA zl_orig", "CREATE SCHEMA zl_safe");
            db.execute("SET search_path = zl_orig; " + SETUP + statement);
            db.execute("SET search_path = zl_safe; " + SETUP);
            try (java.sql.Connection connection = db.connect();
                    java.sql.Statement session = connection.createStatement()) {
                session.execute("SET search_path = zl_safe");
                for (Splitter.Statement step : Splitter.split("safe", safe).statements()) {
                    session.execute(step.text()); // one by one, autocommit: CONCURRENTLY outside a transaction
                }
            }
            softly.assertThat(fingerprint(db, "zl_safe")).as(statement + "\nsafe:\n" + safe)
                    .containsExactlyElementsOf(fingerprint(db, "zl_orig"));
        }
        softly.assertAll();
    }

    /** The schema's catalog with the schema's own name taken out, and the partitions of each table. */
    private static List<String> fingerprint(TestDatabase db, String schema) {
        List<String> lines = new java.util.ArrayList<>(CatalogFingerprint.of(db, schema).stream()
                .map(line -> line.replace(schema + ".", "S.")).toList());
        String partitions = db.queryString("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i "
                + "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = '" + schema + "'");
        lines.add("partitions " + partitions);
        return lines;
    }
}

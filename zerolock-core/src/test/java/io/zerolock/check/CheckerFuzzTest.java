package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whatever a migration holds, the checker reports: odd statements (other dialects, templates, broken
 * SQL) get at worst a warning or "not recognised", and every other statement is still checked. Random
 * statements built from the words the recogniser and the rules look for, in random order.
 */
class CheckerFuzzTest {

    private static final List<String> WORDS = List.of("ALTER", "TABLE", "ADD", "COLUMN", "CONSTRAINT", "DROP",
            "CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", "IF", "NOT", "EXISTS", "ON", "ONLY", "USING", "TYPE", "SET",
            "DEFAULT", "NULL", "CHECK", "FOREIGN", "KEY", "REFERENCES", "PRIMARY", "VALID", "VALIDATE", "RENAME",
            "TO", "ATTACH", "DETACH", "PARTITION", "FOR", "VALUES", "TRIGGER", "EXECUTE", "FUNCTION", "REINDEX",
            "VACUUM", "FULL", "CLUSTER", "REFRESH", "MATERIALIZED", "VIEW", "TRUNCATE", "LOCK", "IN", "MODE",
            "ACCESS", "EXCLUSIVE", "SHARE", "BEGIN", "COMMIT", "ROLLBACK", "LOCAL", "lock_timeout", "TIME", "ZONE",
            "UPDATE", "INSERT", "INTO", "DELETE", "FROM", "WHERE", "DOMAIN", "AS", "GENERATED", "ALWAYS", "STORED",
            "IDENTITY", "WITH", "INCLUDE", "DEFERRABLE", "INITIALLY", "DEFERRED", "CASCADE", "t", "orders", "a",
            "\"Q\"", "s.t", "int", "bigint", "varchar(10)", "text", "timestamptz", "serial", "jsonb", "random()",
            "now()", "(", ")", ",", ";", ".", "=", "::", "'x'", "$$x$$", "$f$ body $f$", "`c`", "!", "${schema}",
            "{{ .Table }}", "E'\\\\n'", "1", "1.5", "-", "*", "[", "]", "--c\n", "/* c */", "\u00e9t\u00e9",
            "\uFEFF", "\\", "#", "@", "?");

    @Test
    void no_statement_breaks_the_report() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int file = 0; file < 400; file++) {
            StringBuilder sql = new StringBuilder();
            for (int statement = 0; statement < 50; statement++) {
                int length = 1 + random.nextInt(14);
                for (int word = 0; word < length; word++) {
                    sql.append(WORDS.get(random.nextInt(WORDS.size()))).append(random.nextInt(4) == 0 ? "" : " ");
                }
                sql.append(";\n");
            }
            String text = sql.toString();
            Checker.Report[] report = new Checker.Report[1];
            assertThatCode(() -> report[0] = Checker.check(List.of(new Checker.Source("fuzz.sql", "SELECT 1;"),
                    new Checker.Source("V2__fuzz.sql", text),
                    // a statement every rule knows, in the file after the noise: it must still be reported
                    new Checker.Source("V3__after.sql", "CREATE INDEX after_noise ON orders (a);")),
                    11 + random.nextInt(8), Set.of()))
                    .as("seed " + seed + ", file " + file + ":\n" + text).doesNotThrowAnyException();
            assertThat(report[0].statements()).as("seed " + seed).isPositive();
            // the safety net in the checker is for the field; here, a rule that throws is a bug to fix
            assertThat(report[0].warnings()).as("seed " + seed + ", file " + file + ":\n" + text)
                    .noneMatch(w -> w.message().contains("could not check") || w.message().contains("could not follow"));
            assertThat(report[0].findings()).as("seed " + seed).anyMatch(f -> f.statement().contains("after_noise"));
        }
    }

    @Test
    void statements_of_other_dialects_are_warnings_and_the_rest_is_still_reported() {
        String sql = """
                ALTER TABLE t ADD COLUMN `c` int;
                ALTER TABLE t ADD COLUMN $$x$$ int;
                ALTER TABLE t ADD COLUMN 'x' int DEFAULT random();
                ALTER TABLE t ALTER COLUMN ! TYPE bigint;
                CREATE INDEX i ON t (a);
                """;
        Checker.Report report = Checker.check(List.of(new Checker.Source("V1__odd.sql", sql)), 18, Set.of());
        assertThat(report.statements()).isEqualTo(5);
        assertThat(report.unrecognized()).extracting(Checker.Unrecognized::line).containsExactly(1, 2, 3, 4);
        assertThat(report.findings()).extracting(Finding::ruleId).contains("ZL001");
    }
}

package io.zerolock.check.lex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitterTest {

    private static List<String> texts(String sql) {
        return Splitter.split("m.sql", sql).statements().stream().map(Splitter.Statement::text).toList();
    }

    @Test
    void splits_at_semicolons_and_keeps_each_statements_place() {
        Splitter.Result result = Splitter.split("V1__init.sql", "CREATE TABLE t (id int);\n\n  CREATE INDEX i ON t (id);");
        assertThat(result.statements()).extracting(Splitter.Statement::text)
                .containsExactly("CREATE TABLE t (id int);", "CREATE INDEX i ON t (id);");
        Splitter.Statement second = result.statements().get(1);
        assertThat(second.location()).isEqualTo("V1__init.sql:3:3");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void dollar_quotes_hold_ddl_looking_text_and_semicolons() {
        String sql = """
                CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$
                BEGIN
                  EXECUTE 'CREATE INDEX i ON t (id); DROP TABLE t;';
                  RAISE NOTICE $$nested $x$ ; $$;
                END
                $body$;
                DO $$ BEGIN PERFORM 1; END $$;
                SELECT $1, a$b$ FROM t;
                """;
        assertThat(texts(sql)).hasSize(3);
        assertThat(texts(sql).get(0)).startsWith("CREATE FUNCTION").endsWith("$body$;");
        assertThat(texts(sql).get(2)).isEqualTo("SELECT $1, a$b$ FROM t;");
    }

    @Test
    void comments_nest_and_hold_ddl() {
        String sql = """
                /* outer /* inner; DROP TABLE t; */ still a comment; */
                -- ALTER TABLE t ADD COLUMN c int;
                SELECT 1; -- trailing; comment
                SELECT 2 /* ; */ + 3;
                """;
        Splitter.Result result = Splitter.split("m.sql", sql);
        assertThat(result.statements()).extracting(Splitter.Statement::text)
                .containsExactly("SELECT 1;", "SELECT 2 /* ; */ + 3;");
        assertThat(result.statements().get(0).comments()).hasSize(2);
        assertThat(result.statements().get(1).comments()).extracting(Token::text).containsExactly("-- trailing; comment");
    }

    @Test
    void strings_quoted_identifiers_and_escapes() {
        String sql = """
                INSERT INTO "we;ird ""name""\" VALUES ('it''s; fine', E'back\\\\slash \\' quote;', U&'\\0041;', B'101');
                SELECT 'a' 'b';
                """;
        List<String> texts = texts(sql);
        assertThat(texts).hasSize(2);
        Splitter.Statement insert = Splitter.split("m.sql", sql).statements().get(0);
        assertThat(insert.tokens().get(2).identifier()).isEqualTo("we;ird \"name\"");
        assertThat(insert.tokens()).filteredOn(t -> t.kind() == Token.Kind.STRING).extracting(Token::text)
                .containsExactly("'it''s; fine'", "E'back\\\\slash \\' quote;'", "U&'\\0041;'", "B'101'");
    }

    @Test
    void follows_standard_conforming_strings() {
        String sql = """
                SET standard_conforming_strings = off;
                SELECT 'a\\'; b';
                SET standard_conforming_strings TO on;
                SELECT 'c\\'; SELECT 'd';
                """;
        assertThat(texts(sql)).containsExactly("SET standard_conforming_strings = off;", "SELECT 'a\\'; b';",
                "SET standard_conforming_strings TO on;", "SELECT 'c\\';", "SELECT 'd';");
    }

    @Test
    void begin_atomic_bodies_and_rule_actions_stay_whole() {
        String sql = """
                CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
                  SELECT 1;
                END;
                CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;
                CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO v VALUES (2));
                BEGIN;
                COMMIT;
                """;
        List<String> texts = texts(sql);
        assertThat(texts).hasSize(5);
        assertThat(texts.get(0)).startsWith("CREATE OR REPLACE FUNCTION").endsWith("END;");
        assertThat(texts.get(1)).isEqualTo("CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;");
        assertThat(texts.get(2)).startsWith("CREATE RULE").endsWith("));");
        assertThat(texts.subList(3, 5)).containsExactly("BEGIN;", "COMMIT;");
    }

    @Test
    void psql_meta_commands_are_skipped_with_a_warning() {
        Splitter.Result result = Splitter.split("m.sql", "\\set ON_ERROR_STOP on\nSELECT 1;\n\\connect other\n");
        assertThat(result.statements()).extracting(Splitter.Statement::text).containsExactly("SELECT 1;");
        assertThat(result.warnings()).extracting(Splitter.Warning::message).containsExactly(
                "psql meta-command skipped: \\set ON_ERROR_STOP on", "psql meta-command skipped: \\connect other");
        assertThat(result.warnings().get(1).line()).isEqualTo(3);
    }

    @Test
    void an_unterminated_string_or_comment_is_a_warning_not_a_crash() {
        for (String sql : List.of("SELECT 'abc", "SELECT $$abc", "SELECT \"abc", "SELECT 1 /* abc /* d */",
                "SELECT E'\\", "SELECT $a$ $b$")) {
            Splitter.Result result = Splitter.split("m.sql", sql);
            assertThat(result.statements()).as(sql).hasSize(1);
            assertThat(result.warnings()).as(sql).singleElement().extracting(Splitter.Warning::message)
                    .asString().startsWith("the file ends inside");
        }
        assertThat(Splitter.split("m.sql", "").statements()).isEmpty();
        assertThat(Splitter.split("m.sql", "  -- only a comment\n").statements()).isEmpty();
        assertThat(texts("SELECT 1")).containsExactly("SELECT 1");
    }

    @Test
    void never_crashes_on_any_input() {
        Random random = new Random(42);
        String alphabet = "abcEU&$'\"\\;:()-/*\n ;0123$$e'x_";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                sql.append(random.nextInt(20) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(
                        random.nextInt(alphabet.length())));
            }
            Splitter.Result result = Splitter.split("fuzz.sql", sql.toString());
            // every character that is not whitespace, a comment or a meta-command lands in a statement
            assertThat(result.statements()).allSatisfy(s -> assertThat(sql.toString()).contains(s.text()));
        }
    }
}

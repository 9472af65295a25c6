package io.zerolock.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class NameResolverTest {

    @PostgresTest
    void resolves_names_the_way_postgresql_does(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA app", "CREATE TABLE app.\"Users\" (id int)",
                "CREATE INDEX \"Users_Id\" ON app.\"Users\" (id)", "CREATE TABLE public.users (id int)",
                "CREATE INDEX users_id ON public.users (id)");
        try (Connection connection = db.connect()) {
            NameResolver names = new NameResolver(new CatalogReader(connection));
            assertThat(names.index("users_id").name()).isEqualTo(QualifiedName.of("public", "users_id"));
            assertThat(names.index("USERS_ID").name()).isEqualTo(QualifiedName.of("public", "users_id"));
            assertThat(names.index("app.\"Users_Id\"").name()).isEqualTo(QualifiedName.of("app", "Users_Id"));
            assertThat(names.index(" APP . \"Users_Id\" ").name()).isEqualTo(QualifiedName.of("app", "Users_Id"));
            assertThat(names.table("app.\"Users\"").kind()).isEqualTo(RelationKind.TABLE);
            assertThat(names.schema("APP")).isEqualTo("app");

            try (Statement statement = connection.createStatement()) {
                statement.execute("SET search_path = app, public");
            }
            assertThat(names.index("\"Users_Id\"").name()).isEqualTo(QualifiedName.of("app", "Users_Id"));
            assertThat(names.table("users").name()).isEqualTo(QualifiedName.of("public", "users"));
        }
    }

    @PostgresTest
    void missing_names_are_errors_that_list_the_candidates(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA a", "CREATE SCHEMA b", "CREATE TABLE a.t (id int)", "CREATE TABLE b.t (id int)",
                "CREATE INDEX t_id ON a.t (id)", "CREATE INDEX t_id ON b.t (id)",
                "CREATE TABLE \"Mixed\" (id int)", "CREATE INDEX \"Mixed_Id\" ON \"Mixed\" (id)",
                "CREATE INDEX lonely_idx ON a.t (id)");
        try (Connection connection = db.connect()) {
            NameResolver names = new NameResolver(new CatalogReader(connection));

            assertThatThrownBy(() -> names.index("t_id"))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AMBIGUOUS_NAME))
                    .hasMessageContaining("index t_id is not in the search_path (public)")
                    .hasMessageContaining("a.t_id, b.t_id")
                    .hasMessageContaining("qualify it with its schema");

            assertThatThrownBy(() -> names.index("lonely_idx"))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("index lonely_idx does not exist (search_path: public); did you mean a.lonely_idx?");

            assertThatThrownBy(() -> names.index("Mixed_Id"))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("index mixed_id does not exist")
                    .hasMessageContaining("did you mean public.\"Mixed_Id\"?");

            assertThatThrownBy(() -> names.index("c.t_id"))
                    .hasMessage("index c.t_id does not exist; candidates: a.t_id, b.t_id");

            assertThatThrownBy(() -> names.index("nothing_like_it"))
                    .hasMessage("index nothing_like_it does not exist (search_path: public)");

            assertThatThrownBy(() -> names.index("a.t"))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.WRONG_KIND))
                    .hasMessage("a.t is a table, not an index");

            assertThatThrownBy(() -> names.table("a.t_id"))
                    .hasMessage("a.t_id is an index, not a table");

            assertThatThrownBy(() -> names.schema("Nope"))
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("schema nope does not exist");
        }
    }

    @Test
    void malformed_names_are_usage_errors() {
        for (String bad : new String[] {"", "a.", ".b", "\"open", "a.b.c", "\"\"", "a b"}) {
            assertThatThrownBy(() -> Identifiers.parseQualifiedName(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(ZerolockException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_USAGE))
                    .hasMessageStartingWith("invalid name " + bad);
        }
    }

    @Test
    void folds_only_unquoted_ascii_and_truncates_to_63_bytes() {
        assertThat(Identifiers.parseQualifiedName("Sales.\"Order Items\"")).containsExactly("sales", "Order Items");
        assertThat(Identifiers.parseQualifiedName("ÉTÉ")).containsExactly("ÉtÉ");
        assertThat(Identifiers.parseQualifiedName("\"a\"\"b\"")).containsExactly("a\"b");
        assertThat(Identifiers.parseQualifiedName("x".repeat(70)).get(0)).hasSize(63);
        // 'é' is two bytes: 40 of them are 80 bytes, cut to 31 characters (62 bytes)
        assertThat(Identifiers.parseQualifiedName("\"" + "é".repeat(40) + "\"").get(0)).hasSize(31);
    }

    @Test
    void quotes_for_sql_always_and_for_display_only_when_needed() {
        assertThat(Identifiers.quote("users")).isEqualTo("\"users\"");
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(Identifiers.display("users")).isEqualTo("users");
        assertThat(Identifiers.display("Users")).isEqualTo("\"Users\"");
        assertThat(Identifiers.display("user")).isEqualTo("\"user\"");
        assertThat(Identifiers.display("1abc")).isEqualTo("\"1abc\"");
        assertThat(Identifiers.display("a b")).isEqualTo("\"a b\"");
        assertThat(QualifiedName.of("Sales EU", "x").sql()).isEqualTo("\"Sales EU\".\"x\"");
    }
}

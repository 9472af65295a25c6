package io.zerolock.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import org.junit.jupiter.api.Test;

class ConnInfoTest {

    @Test
    void a_plain_value_is_a_database_name() {
        assertThat(ConnInfo.parse("app_prod")).containsExactly(org.assertj.core.api.Assertions.entry("dbname", "app_prod"));
        assertThat(ConnInfo.isConnectionString("app_prod")).isFalse();
    }

    @Test
    void reads_uris_with_every_component_percent_decoded() {
        assertThat(ConnInfo.parse("postgresql://al%40ice:s%3Acret@db.example.com:6543/my%20db?sslmode=require"
                + "&application_name=batch"))
                .containsEntry("user", "al@ice")
                .containsEntry("password", "s:cret")
                .containsEntry("host", "db.example.com")
                .containsEntry("port", "6543")
                .containsEntry("dbname", "my db")
                .containsEntry("sslmode", "require")
                .containsEntry("application_name", "batch");
        assertThat(ConnInfo.parse("postgres://[::1]:5433/app")).containsEntry("host", "::1").containsEntry("port", "5433");
        assertThat(ConnInfo.parse("postgresql://h1:5001,h2:5002/app"))
                .containsEntry("host", "h1,h2").containsEntry("port", "5001,5002");
        assertThat(ConnInfo.parse("postgresql://")).isEmpty();
        assertThat(ConnInfo.parse("postgresql:///app?host=db")).containsEntry("dbname", "app").containsEntry("host", "db");
    }

    @Test
    void reads_keyword_value_strings_with_quotes_and_escapes() {
        assertThat(ConnInfo.parse("host=db port = 5433 dbname='my app' password='it\\'s' user=o\\ k"))
                .containsEntry("host", "db")
                .containsEntry("port", "5433")
                .containsEntry("dbname", "my app")
                .containsEntry("password", "it's")
                .containsEntry("user", "o k");
        assertThat(ConnInfo.isConnectionString("dbname=x")).isTrue();
    }

    @Test
    void rejects_malformed_strings_without_echoing_passwords() {
        assertThatThrownBy(() -> ConnInfo.parse("host=db bogus=1"))
                .isInstanceOfSatisfying(ZerolockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_USAGE))
                .hasMessage("invalid connection option \"bogus\"");
        assertThatThrownBy(() -> ConnInfo.parse("host=db password='unterminated"))
                .hasMessage("unterminated quoted string in connection info string");
        assertThatThrownBy(() -> ConnInfo.parse("host=db password"))
                .hasMessageContaining("missing \"=\"");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://u:p%zzsecret@h/db"))
                .hasMessage("invalid percent-encoded token in the password of the URI")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ConnInfo.parse("postgresql://h/db?passwordhunter2"))
                .hasMessageNotContaining("hunter2");
    }
}

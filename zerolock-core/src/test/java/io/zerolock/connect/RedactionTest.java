package io.zerolock.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.Secret;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void masks_passwords_in_every_connection_string_form() {
        assertThat(Redaction.redact("postgresql://alice:hunter2@db:5432/app"))
                .isEqualTo("postgresql://alice:***@db:5432/app");
        assertThat(Redaction.redact("postgres://alice:p%40ss@db/app?sslmode=require"))
                .isEqualTo("postgres://alice:***@db/app?sslmode=require");
        assertThat(Redaction.redact("postgresql://db/app?user=a&password=hunter2&sslmode=require"))
                .isEqualTo("postgresql://db/app?user=a&password=***&sslmode=require");
        assertThat(Redaction.redact("host=db password=hunter2 dbname=app")).isEqualTo("host=db password=*** dbname=app");
        assertThat(Redaction.redact("host=db password = 'hunter 2' dbname=app"))
                .isEqualTo("host=db password = *** dbname=app");
        assertThat(Redaction.redact("jdbc:postgresql://db/app?password=hunter2")).doesNotContain("hunter2");
        assertThat(Redaction.redact("postgresql://alice@db/app")).isEqualTo("postgresql://alice@db/app");
        assertThat(Redaction.redact("app")).isEqualTo("app");
        assertThat(Redaction.redact(null)).isNull();
    }

    @Test
    void masks_a_known_secret_anywhere_in_a_message() {
        assertThat(Redaction.redact("server said: bad token hunter2!", Secret.of("hunter2")))
                .isEqualTo("server said: bad token ***!");
        assertThat(Secret.of("hunter2").toString()).isEqualTo("***");
    }
}

package io.zerolock.example;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A scratch PostgreSQL for the example, on port 54329, with a busy-looking table: it runs until Maven ends,
 * so the Flyway goal after it in the same build migrates it.
 */
public final class ScratchPostgres {

    private ScratchPostgres() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(54329)
                .setPGStartupWait(java.time.Duration.ofSeconds(60)).start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE accounts (id int PRIMARY KEY, email text, balance int)");
            sql.execute("INSERT INTO accounts SELECT g, 'a' || g || '@example.com', g FROM generate_series(1, 100000) g");
        }
        System.out.println("scratch PostgreSQL on port 54329, with 100,000 accounts");
    }
}

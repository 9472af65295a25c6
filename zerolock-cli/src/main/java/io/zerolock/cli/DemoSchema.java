package io.zerolock.cli;

import java.util.List;

/** The demo's shop: customers referenced by orders and invoices, with the indexes a real shop grows. */
final class DemoSchema {

    static final String SCHEMA = "shop";

    private DemoSchema() {}

    static List<String> statements(int customers) {
        return List.of(
                "CREATE SCHEMA shop",
                """
                CREATE TABLE shop.customers (
                    id bigint PRIMARY KEY,
                    email text NOT NULL,
                    name text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now())
                """,
                "CREATE UNIQUE INDEX customers_email_key ON shop.customers (lower(email))",
                "CREATE INDEX customers_name ON shop.customers (name text_pattern_ops)",
                """
                CREATE TABLE shop.orders (
                    id bigint PRIMARY KEY,
                    customer_id bigint NOT NULL REFERENCES shop.customers ON DELETE CASCADE,
                    status text NOT NULL,
                    total numeric(12, 2) NOT NULL,
                    created_at timestamptz NOT NULL)
                """,
                "CREATE INDEX orders_customer_id ON shop.orders (customer_id)",
                "CREATE INDEX orders_open_by_date ON shop.orders (created_at DESC) WHERE status = 'open'",
                """
                CREATE TABLE shop.invoices (
                    id bigint PRIMARY KEY,
                    customer_id bigint NOT NULL,
                    amount numeric(12, 2) NOT NULL,
                    CONSTRAINT invoices_customer_fk FOREIGN KEY (customer_id) REFERENCES shop.customers
                        DEFERRABLE INITIALLY DEFERRED)
                """,
                "CREATE INDEX invoices_customer_id ON shop.invoices (customer_id) INCLUDE (amount)",
                """
                CREATE TABLE shop.delivery_slots (
                    courier int NOT NULL,
                    slot tstzrange NOT NULL,
                    CONSTRAINT delivery_slots_no_overlap EXCLUDE USING gist (slot WITH &&))
                """,
                """
                INSERT INTO shop.customers (id, email, name, created_at)
                SELECT g, 'customer' || g || '@example.com', 'Customer ' || g, now() - g * interval '1 minute'
                FROM generate_series(1::bigint, %d) g
                """.formatted(customers),
                """
                INSERT INTO shop.orders (id, customer_id, status, total, created_at)
                SELECT g, 1 + (g * 7919) %% %d, CASE WHEN g %% 10 = 0 THEN 'open' ELSE 'shipped' END,
                       (g %% 500) + 0.99, now() - g * interval '30 seconds'
                FROM generate_series(1::bigint, %d) g
                """.formatted(customers, customers * 2),
                """
                INSERT INTO shop.invoices (id, customer_id, amount)
                SELECT g, 1 + (g * 104729) %% %d, (g %% 900) + 0.5 FROM generate_series(1::bigint, %d) g
                """.formatted(customers, customers),
                "ANALYZE");
    }

    /**
     * Three customers in four leave, with their orders and invoices: the indexes keep their pages, a
     * quarter full, so they are about four times the size a rebuild gives them.
     */
    static List<String> bloat() {
        return List.of(
                "DELETE FROM shop.invoices WHERE customer_id % 4 <> 0",
                "DELETE FROM shop.customers WHERE id % 4 <> 0",
                "VACUUM ANALYZE shop.customers",
                "VACUUM ANALYZE shop.orders",
                "VACUUM ANALYZE shop.invoices");
    }
}

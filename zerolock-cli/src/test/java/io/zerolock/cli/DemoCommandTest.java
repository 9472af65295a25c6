package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void shows_the_maintenance_view_of_a_shop_on_an_embedded_server() {
        Cli cli = Cli.run("demo", "--rows", "2000");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("zerolock demo: PostgreSQL 18.")
                .contains("$ zerolock indexes --schema shop")
                .contains("shop.customers_pkey")
                .contains("shop.invoices.invoices_customer_fk")
                .contains("shop.orders.orders_customer_id_fkey")
                .contains("EXCLUDE delivery_slots_no_overlap")
                .contains("index of an exclusion constraint")
                .contains("$ zerolock reindex shop.customers_pkey shop.customers_email_key");
        assertThat(cli.out().lines().filter(l -> l.startsWith("shop.customers_pkey ") && l.endsWith("done")))
                .singleElement().asString().contains("native");
        assertThat(cli.err()).contains("msg=\"embedded postgres started\"")
                .containsPattern("msg=done index=shop.customers_pkey strategy=native");
    }

    @Test
    void runs_any_bundled_major_version() {
        Cli cli = Cli.run("demo", "--rows", "100", "--pg-version", "11");
        assertThat(cli.exitCode()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("zerolock demo: PostgreSQL 11.");
        // PostgreSQL 11 has no REINDEX CONCURRENTLY: swap is the only online strategy
        assertThat(cli.out()).contains("native needs PostgreSQL 12+");
        assertThat(cli.err()).contains("msg=done index=shop.customers_pkey strategy=swap")
                .contains("msg=done index=shop.customers_email_key strategy=swap");
    }

    @Test
    void refuses_a_version_that_is_not_bundled() {
        Cli cli = Cli.run("demo", "--pg-version", "9");
        assertThat(cli.exitCode()).isEqualTo(2);
        assertThat(cli.err()).contains("PostgreSQL 9 is not bundled with zerolock; available major versions: [11, 14, 18]");
    }
}

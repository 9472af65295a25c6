package io.zerolock.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;

class EmbeddedServersTest {

    @PostgresTest
    void starts_a_real_server_of_the_requested_major_version(TestDatabase db) {
        int versionNum = (int) db.queryLong("SELECT current_setting('server_version_num')::int");
        assertThat(versionNum / 10000).isEqualTo(db.majorVersion());
        assertThat(db.server().release()).startsWith(db.majorVersion() + ".");
        assertThat(db.queryString("SELECT current_database()")).isEqualTo(db.name());
    }

    @PostgresTest
    void hands_each_test_a_fresh_empty_database(TestDatabase db) {
        assertThat(db.queryLong("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public'")).isZero();
        db.execute("CREATE TABLE leftover (id int)");
    }

    @PostgresTest(versions = 14)
    void bundles_a_14_release_with_the_concurrent_build_fix(TestDatabase db) {
        assertThat(db.queryLong("SELECT current_setting('server_version_num')::int")).isGreaterThanOrEqualTo(140004);
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

class JournalTest {

    @PostgresTest
    void journals_each_operation_and_step_in_the_state_schema_created_on_first_write(TestDatabase db) {
        db.execute("CREATE TABLE parent (id int PRIMARY KEY)", "INSERT INTO parent SELECT generate_series(1, 1000)",
                "CREATE TABLE child (parent_id int REFERENCES parent)");
        new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP))
                .run(ReindexRequest.indexes("parent_pkey"), true);
        assertThat(db.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'"))
                .as("a dry run creates nothing").isZero();

        new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP))
                .run(ReindexRequest.indexes("parent_pkey"), false);
        assertThat(db.queryString("SELECT string_agg(version::text, ',') FROM zerolock.migration")).isEqualTo("1,2,3,4,5,6,7,8");
        assertThat(db.queryString("SELECT kind || ' ' || target || ' ' || strategy || ' ' || outcome || ' '"
                + " || (old_size > 0) || ' ' || (new_size > 0) || ' ' || (ended_at >= started_at) "
                + "|| ' ' || blocked_sessions FROM zerolock.operation"))
                .isEqualTo("reindex public.parent_pkey swap done true true true 0");
        assertThat(db.queryString("SELECT string_agg(name || ':' || outcome || ':' || attempts, ' ' ORDER BY position) "
                + "FROM zerolock.step")).isEqualTo("build:done:1 swap:done:1 validate:child_parent_id_fkey:done:1");
        assertThat(db.queryString("SELECT string_agg(kind || ':' || coalesce(subject, '-'), ' ' ORDER BY position) "
                + "FROM zerolock.step")).as("resume reads what a step is from its kind, not its name")
                .isEqualTo("build:- swap:- validate:child_parent_id_fkey");
        assertThat(db.queryString("SELECT sql[1] FROM zerolock.step WHERE name = 'swap'"))
                .isEqualTo("LOCK TABLE \"public\".\"parent\", \"public\".\"child\" IN ACCESS EXCLUSIVE MODE");
    }

    @PostgresTest(versions = 18)
    void journals_a_failure_with_its_error_in_a_schema_of_the_users_choice(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE parent (id int PRIMARY KEY)", "CREATE TABLE child (parent_id int REFERENCES parent)");
        try (Connection holder = db.connect(); Statement statement = holder.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("LOCK TABLE child IN ACCESS SHARE MODE");
            assertThatThrownBy(() -> new Reindexer(Databases.connector(db), ReindexOptions.defaults()
                    .withStrategy(Strategy.SWAP).withLocks(Duration.ofMillis(50), 2).withStateSchema("Ops State"))
                    .run(ReindexRequest.indexes("parent_pkey"), false));
            statement.execute("ROLLBACK");
        }
        assertThat(db.queryString("SELECT outcome || ' ' || (error LIKE '%could not take ACCESS EXCLUSIVE%') "
                + "FROM \"Ops State\".operation")).isEqualTo("failed true");
        assertThat(db.queryString("SELECT string_agg(name || ':' || outcome, ' ' ORDER BY position) "
                + "FROM \"Ops State\".step")).isEqualTo("build:done swap:failed validate:child_parent_id_fkey:pending");
        // a second run migrates nothing and appends
        new Reindexer(Databases.connector(db), ReindexOptions.defaults().withStrategy(Strategy.SWAP)
                .withStateSchema("Ops State")).run(ReindexRequest.indexes("parent_pkey"), false);
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM \"Ops State\".operation"))
                .isEqualTo("failed,done");
    }
}

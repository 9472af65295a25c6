package io.zerolock.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.plan.LockMode;
import io.zerolock.plan.LockPolicy;
import io.zerolock.plan.Plan;
import io.zerolock.plan.Step;
import io.zerolock.plan.StepKind;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** Every step states its own timeouts: nothing is inherited from the role, the session or an earlier step. */
class ExecutorTimeoutsTest {

    private static Plan plan(Step step) {
        return new Plan("t", "test", List.of(step), List.of(), LockPolicy.bounded(Duration.ofSeconds(1), 1));
    }

    private static Step sleep(boolean transactional, LockPolicy policy) {
        return new Step(StepKind.STATEMENT, null, "sleep", "a long step", List.of("SELECT pg_sleep(0.4)"), LockMode.SHARE_UPDATE_EXCLUSIVE,
                List.of(), transactional, policy, List.of(), false);
    }

    @PostgresTest
    void a_transactional_step_does_not_inherit_the_roles_statement_timeout(TestDatabase db) throws Exception {
        String role = "busy_" + db.name();
        db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
                "ALTER ROLE " + role + " SET statement_timeout = '100ms'",
                "GRANT ALL ON DATABASE " + db.name() + " TO " + role);
        try (Connection connection = java.sql.DriverManager.getConnection(db.jdbcUrl(), role, "pw")) {
            // the role's own timeout applies to plain statements of this session...
            assertThatThrownBy(() -> connection.createStatement().execute("SELECT pg_sleep(0.4)"))
                    .hasMessageContaining("statement timeout");
            // ...but not to a step, transactional or not, whichever runs first
            Executor executor = new Executor(connection);
            assertThat(executor.run(plan(sleep(true, LockPolicy.bounded(Duration.ofSeconds(1), 1))))).hasSize(1);
            assertThat(executor.run(plan(sleep(false, LockPolicy.concurrentBuild())))).hasSize(1);
        }
    }

    @PostgresTest(versions = 18)
    void a_step_with_a_statement_timeout_of_its_own_is_held_to_it(TestDatabase db) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = 0");
            LockPolicy tight = new LockPolicy(Duration.ofSeconds(1), 1, Duration.ZERO, Duration.ZERO,
                    Duration.ofMillis(100));
            assertThatThrownBy(() -> new Executor(connection).run(plan(sleep(true, tight))))
                    .hasMessageContaining("SQLSTATE 57014");
        }
    }
}

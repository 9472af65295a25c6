package io.zerolock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HistoryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @PostgresTest
    void shows_each_rebuild_with_its_sizes_estimate_phases_and_the_gates_decisions(TestDatabase db) throws Exception {
        Cli empty = Cli.run("history", "-d", CommandLineTest.uri(db));
        assertThat(empty.exitCode()).as(empty.all()).isZero();
        assertThat(empty.out()).contains("(no operations)");
        assertThat(db.queryString("SELECT count(*) FROM pg_namespace WHERE nspname = 'zerolock'")).isEqualTo("0");

        db.execute("CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 30000) g",
                "CREATE INDEX t_v ON t (v)", "DELETE FROM t WHERE id % 2 = 0", "VACUUM ANALYZE t");
        Cli reindex = Cli.run("reindex", "-d", CommandLineTest.uri(db), "t_v");
        assertThat(reindex.exitCode()).as(reindex.all()).isZero();

        Cli json = Cli.run("history", "-d", CommandLineTest.uri(db), "--since", "1h", "--format", "json");
        assertThat(json.exitCode()).as(json.all()).isZero();
        JsonNode history = JSON.readTree(json.out());
        JsonNode operation = history.get("operations").get(0);
        assertThat(operation.get("command").asText()).isEqualTo("reindex");
        assertThat(operation.get("target").asText()).isEqualTo("public.t_v");
        assertThat(operation.get("outcome").asText()).isEqualTo("done");
        assertThat(operation.get("size_after_bytes").asLong()).isLessThan(operation.get("size_before_bytes").asLong());
        assertThat(operation.get("estimated_size_after_bytes").asLong()).isPositive();
        assertThat(operation.get("estimate_method").asText()).isEqualTo("btree-model");
        assertThat(operation.get("blocked_sessions").asInt()).isZero();
        assertThat(operation.get("phases").size()).isPositive();
        assertThat(operation.get("phases").get(0).get("duration_ms").isNumber()).isTrue();
        JsonNode decision = history.get("gate_decisions").get(0);
        assertThat(decision.get("command").asText()).isEqualTo("reindex");
        assertThat(decision.get("verdict").asText()).isEqualTo("go");

        Cli text = Cli.run("history", "-d", CommandLineTest.uri(db));
        assertThat(text.out()).contains("public.t_v").contains("done").contains("Gate decisions");

        // the layout Grafana charts: a time column and numbers
        assertThat(db.queryString("SELECT command || ' ' || target || ' ' || (reclaimed_bytes > 0) || ' ' "
                + "|| (duration_s >= 0) FROM zerolock.history WHERE \"time\" > now() - interval '1 hour'"))
                .isEqualTo("reindex public.t_v true true");
    }
}

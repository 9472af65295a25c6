package io.zerolock.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own transaction, modelled: what it wraps, and each runner's way out. */
class RunnerTest {

    @TempDir
    Path dir;

    private static final String HISTORY = "CREATE TABLE orders (id bigint PRIMARY KEY, x int);";
    private static final String BACKFILL = "SET lock_timeout = '1s';\nALTER TABLE orders ADD COLUMN y int;\n"
            + "UPDATE orders SET y = 1;\n";
    private static final String CONCURRENT = "CREATE INDEX CONCURRENTLY orders_x ON orders (x);\n";

    private List<String> rules(Runner runner, Path file, String sql) throws Exception {
        Files.writeString(file, sql);
        Checker.Report report = Checker.check(List.of(new Checker.Source("V1.sql", HISTORY),
                new Checker.Source(file.toString(), sql)), 18, Set.of(), Map.of(), new Checker.Session(null, runner, false));
        List<String> ids = new java.util.ArrayList<>(report.findings().stream().map(Finding::ruleId).toList());
        report.warnings().forEach(w -> ids.add("warning: " + w.message()));
        return ids;
    }

    @Test
    void without_a_runner_a_file_runs_as_written() throws Exception {
        assertThat(rules(Runner.NONE, dir.resolve("V2.sql"), BACKFILL)).doesNotContain("ZL024");
        assertThat(rules(Runner.NONE, dir.resolve("V3.sql"), CONCURRENT)).doesNotContain("ZL004");
    }

    @Test
    void flyway_wraps_each_file_unless_it_holds_a_non_transactional_statement_or_says_so() throws Exception {
        assertThat(rules(Runner.FLYWAY, dir.resolve("V2.sql"), BACKFILL)).contains("ZL024");
        assertThat(rules(Runner.FLYWAY, dir.resolve("V3.sql"), CONCURRENT)).doesNotContain("ZL004");
        assertThat(rules(Runner.FLYWAY, dir.resolve("V4.sql"), BACKFILL + CONCURRENT))
                .anyMatch(id -> id.startsWith("warning: Flyway refuses a migration that mixes"));
        Files.writeString(dir.resolve("V5.sql.conf"), "executeInTransaction=false\n");
        assertThat(rules(Runner.FLYWAY, dir.resolve("V5.sql"), BACKFILL)).doesNotContain("ZL024");
    }

    @Test
    void liquibase_wraps_each_changeset_unless_it_opts_out() throws Exception {
        String changelog = "--liquibase formatted sql\n--changeset ana:1\n" + BACKFILL
                + "--changeset ana:2 runInTransaction:false\n" + CONCURRENT + "--changeset ana:3\n" + CONCURRENT;
        assertThat(rules(Runner.LIQUIBASE, dir.resolve("changelog.sql"), changelog))
                .containsOnlyOnce("ZL004").contains("ZL024");
    }

    @Test
    void diesel_prisma_and_golang_migrate_wrap_the_whole_file() throws Exception {
        Path diesel = Files.createDirectories(dir.resolve("2026-01-01-000000_index"));
        assertThat(rules(Runner.DIESEL, diesel.resolve("up.sql"), CONCURRENT)).contains("ZL004");
        Files.writeString(diesel.resolve("metadata.toml"), "run_in_transaction = false\n");
        assertThat(rules(Runner.DIESEL, diesel.resolve("up.sql"), CONCURRENT)).doesNotContain("ZL004");
        assertThat(rules(Runner.PRISMA, dir.resolve("migration.sql"), CONCURRENT)).contains("ZL004");
        assertThat(rules(Runner.GOLANG_MIGRATE, dir.resolve("1_x.up.sql"), BACKFILL)).contains("ZL024");
    }

    @Test
    void a_lock_timeout_the_role_sets_counts_in_every_file() throws Exception {
        String sql = "ALTER TABLE orders DROP CONSTRAINT c;\nSET lock_timeout TO DEFAULT;\nALTER TABLE orders DROP CONSTRAINT d;\n";
        Checker.Report without = Checker.check(List.of(new Checker.Source("V1.sql", HISTORY),
                new Checker.Source("V2.sql", sql)), 18, Set.of(), Map.of(), Checker.Session.asWritten());
        assertThat(without.findings()).extracting(Finding::ruleId).containsExactly("ZL022", "ZL022");
        Checker.Report with = Checker.check(List.of(new Checker.Source("V1.sql", HISTORY),
                new Checker.Source("V2.sql", sql)), 18, Set.of(), Map.of(), new Checker.Session(null, Runner.NONE, true));
        assertThat(with.findings()).isEmpty();
    }
}

package io.zerolock.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.bloat.BloatRequest;
import io.zerolock.catalog.CatalogReader;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The window decides what starts: only while it is open, and only what fits in what is left of it. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BloatedRebuildTest {

    private static final Window SATURDAY_NIGHT = Window.parse("Sat 01:00-05:00 Europe/Berlin");

    private static void bloated(TestDatabase db) {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)",
                "INSERT INTO t SELECT g, g FROM generate_series(1, 100000) g",
                "CREATE INDEX t_v ON t (v)",
                "DELETE FROM t WHERE id % 10 < 7", "VACUUM ANALYZE t");
    }

    private static final List<String> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static List<String> started(TestDatabase db, String berlinTime, Window window) throws Exception {
        decisions.clear();
        List<String> started = new ArrayList<>();
        try (Connection connection = db.connect()) {
            Clock clock = Clock.fixed(java.time.ZonedDateTime.of(java.time.LocalDateTime.parse(berlinTime),
                    java.time.ZoneId.of("Europe/Berlin")).toInstant(), ZoneOffset.UTC);
            BloatedRebuild.Run run = new BloatedRebuild(new CatalogReader(connection), "zerolock", clock).run(
                    new BloatRequest(null, null, 0, false), new Selection.Criteria(0, 0.3, 5,
                            java.time.Duration.ofDays(7)), window, false, e -> null, name -> {
                                started.add(name);
                                return List.of();
                            }, (target, decision) -> decisions.add(target + " " + decision.verdict().id() + " "
                                    + decision.signals().get(0).name()));
            assertThat(run.ranking()).filteredOn(Selection.Candidate::chosen).hasSize(2);
            started.addAll(run.notStarted());
        }
        return started;
    }

    @PostgresTest(versions = {14})
    void starts_inside_the_window_and_not_outside_it(TestDatabase db) throws Exception {
        bloated(db);
        assertThat(started(db, "2026-12-05T03:00", SATURDAY_NIGHT)).containsExactlyInAnyOrder("public.t_pkey",
                "public.t_v");
        assertThat(started(db, "2026-12-05T05:30", SATURDAY_NIGHT)).containsExactlyInAnyOrder(
                "public.t_pkey: the window is closed", "public.t_v: the window is closed");
        assertThat(decisions).containsExactlyInAnyOrder("public.t_pkey wait window", "public.t_v wait window");
        assertThat(started(db, "2026-12-04T03:00", SATURDAY_NIGHT)).as("a Friday").allMatch(s -> s.endsWith(
                "the window is closed"));
    }

    @PostgresTest(versions = {14})
    void starts_nothing_that_would_not_finish_before_the_window_closes(TestDatabase db) throws Exception {
        bloated(db);
        // five seconds left: every rebuild is given at least ten
        assertThat(started(db, "2026-12-05T04:59:55", SATURDAY_NIGHT))
                .allMatch(s -> s.contains(": needs about 10 s, the window closes in 5 s"));
        assertThat(decisions).containsExactlyInAnyOrder("public.t_pkey skip window", "public.t_v skip window");
        Window cron = Window.parse("0 1 * * SAT 4h Europe/Berlin");
        assertThat(started(db, "2026-12-05T04:59:55", cron)).hasSize(2).allMatch(s -> s.contains("needs about"));
        assertThat(started(db, "2026-12-05T01:00", cron)).containsExactlyInAnyOrder("public.t_pkey", "public.t_v");
    }

    @PostgresTest(versions = {14})
    void learns_the_time_a_rebuild_takes_from_the_history(TestDatabase db) throws Exception {
        bloated(db);
        db.execute("CREATE SCHEMA zerolock", "CREATE TABLE zerolock.operation (id bigserial, kind text, target text, "
                + "new_size bigint, outcome text, old_size bigint, started_at timestamptz, ended_at timestamptz)",
                // the last rebuild of t_v took an hour for its size then
                "INSERT INTO zerolock.operation (kind, target, outcome, old_size, started_at, ended_at) VALUES "
                        + "('reindex', 'public.t_v', 'done', pg_relation_size('t_v'), now() - interval '2 hours', "
                        + "now() - interval '1 hour')");
        try (Connection connection = db.connect()) {
            RebuildTime time = RebuildTime.from(new CatalogReader(connection), "zerolock");
            long size = db.queryLong("SELECT pg_relation_size('t_v')");
            assertThat(time.predict("public.t_v", size).toMinutes()).isEqualTo(90);
            assertThat(time.predict("public.t_v", size / 2).toMinutes()).isEqualTo(45);
            // another index: this database's speed, from the same history
            assertThat(time.predict("public.t_pkey", size).toMinutes()).isEqualTo(90);
        }
        assertThat(started(db, "2026-12-05T04:00", SATURDAY_NIGHT)).contains(
                "public.t_v: needs about 5410 s, the window closes in 3600 s").hasSize(2)
                .allMatch(s -> s.contains("needs about"));
        assertThat(started(db, "2026-12-05T03:00", SATURDAY_NIGHT)).containsExactlyInAnyOrder("public.t_pkey",
                "public.t_v");
    }
}

package io.zerolock.reindex;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.ProgressListener;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

class ProgressTest {

    @PostgresTest(minVersion = 12)
    void hears_the_phases_of_a_build_from_the_progress_view(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g",
                "CREATE INDEX t_v ON t (v)", "CREATE TABLE elsewhere (id int)");
        List<ProgressListener.Progress> heard = new CopyOnWriteArrayList<>();
        List<String> finished = new CopyOnWriteArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void progress(Progress progress) {
                heard.add(progress);
            }

            @Override
            public void stepFinished(String step) {
                finished.add(step);
            }
        };
        CompletableFuture<List<ReindexOutcome>> run;
        try (Connection old = db.connect(); Statement snapshot = old.createStatement()) {
            snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            snapshot.execute("SELECT count(*) FROM elsewhere"); // holds the build in "waiting for old snapshots"
            run = CompletableFuture.supplyAsync(() -> new Reindexer(Databases.connector(db),
                    ReindexOptions.defaults().withStrategy(Strategy.SWAP), listener)
                    .run(ReindexRequest.indexes("t_v"), false));
            io.zerolock.testing.Await.until("the listener heard the build wait for old snapshots",
                    () -> heard.stream().anyMatch(p -> p.phase().contains("waiting")));
            snapshot.execute("ROLLBACK");
        }
        assertThat(run.get(60, TimeUnit.SECONDS).get(0).status()).isEqualTo(ReindexOutcome.Status.DONE);
        assertThat(heard).isNotEmpty().allSatisfy(p -> {
            assertThat(p.index()).isEqualTo("public.t_v");
            assertThat(p.step()).isEqualTo("build");
        });
        assertThat(heard).anySatisfy(p -> assertThat(p.phase()).contains("waiting"));
        assertThat(finished).contains("build");
    }
}

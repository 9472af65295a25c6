package io.zerolock.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.testing.Await;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import liquibase.Contexts;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.DirectoryResourceAccessor;

/**
 * Real Liquibase on real servers: a changelog lock whose holder died is recovered by the next run; one whose
 * holder is alive, or that zerolock cannot tell about, is left to Liquibase.
 */
class ZerolockLockServiceTest {

    private static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset zerolock:1
            CREATE TABLE accounts (id int PRIMARY KEY, email text);
            """;

    private static Database database(TestDatabase db) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(db.connect()));
    }

    /** {@code liquibase update} of the changelog in {@code dir}, on a connection of its own. */
    @SuppressWarnings("deprecation") // the Liquibase class is the API a library calls; the command scope is for the CLI
    private static void update(TestDatabase db, Path dir) throws Exception {
        Database database = database(db);
        try {
            new Liquibase("changelog.sql", new DirectoryResourceAccessor(dir), database).update(new Contexts());
        } finally {
            database.close();
        }
    }

    private static Path changelog(String text) throws Exception {
        Path dir = Files.createTempDirectory("zerolock-liquibase");
        Files.writeString(dir.resolve("changelog.sql"), text);
        return dir;
    }

    @PostgresTest
    void a_lock_whose_run_died_is_recovered_by_the_next_run(TestDatabase db) throws Exception {
        Path dir = changelog(CHANGELOG);
        update(db, dir);

        // a run takes the lock and dies holding it: its connection goes, the lock row stays
        Database dying = database(db);
        LockService lock = LockServiceFactory.getInstance().getLockService(dying);
        assertThat(lock).isInstanceOf(ZerolockLockService.class);
        assertThat(lock.acquireLock()).isTrue();
        assertThat(db.queryString("SELECT lockedby FROM databasechangeloglock WHERE locked")).contains(" zerolock:");
        int pid = (int) db.queryLong("SELECT substring(lockedby FROM ' zerolock:(\\d+)@')::int FROM "
                + "databasechangeloglock");
        ((JdbcConnection) dying.getConnection()).getUnderlyingConnection().close();
        LockServiceFactory.getInstance().resetAll();
        Await.until("the dead run's backend is gone", () -> db.queryLong("SELECT count(*) FROM pg_stat_activity "
                + "WHERE pid = " + pid) == 0);

        Files.writeString(dir.resolve("changelog.sql"), CHANGELOG + "--changeset zerolock:2\n"
                + "ALTER TABLE accounts ADD COLUMN note text;\n");
        update(db, dir);
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
        assertThat(db.queryString("SELECT locked::text FROM databasechangeloglock")).isEqualTo("false");
    }

    @PostgresTest(versions = 18)
    void a_lock_held_by_a_live_run_or_without_zerolocks_mark_is_left_to_liquibase(TestDatabase db) throws Exception {
        Path dir = changelog(CHANGELOG);
        update(db, dir);
        Files.writeString(dir.resolve("changelog.sql"), CHANGELOG + "--changeset zerolock:2\n"
                + "ALTER TABLE accounts ADD COLUMN note text;\n");
        System.setProperty("liquibase.changeLogLockWaitTimeInMinutes", "0"); // fail at once, not in 5 minutes
        System.setProperty("liquibase.changeLogLockPollRate", "1"); // seconds between its looks at the lock
        try (Connection live = db.connect(); Statement sql = live.createStatement()) {
            sql.execute("UPDATE databasechangeloglock SET locked = true, lockgranted = now(), lockedby = 'app-1 "
                    + "(10.0.0.1) zerolock:' || pg_backend_pid() || '@' || (SELECT extract(epoch FROM backend_start)"
                    + "::text FROM pg_stat_activity WHERE pid = pg_backend_pid())");
            assertThatThrownBy(() -> update(db, dir)).hasMessageContaining("lock");
            LockServiceFactory.getInstance().resetAll();

            sql.execute("UPDATE databasechangeloglock SET lockedby = 'app-2 (10.0.0.2)'");
            assertThatThrownBy(() -> update(db, dir)).hasMessageContaining("lock");
            LockServiceFactory.getInstance().resetAll();
        } finally {
            System.clearProperty("liquibase.changeLogLockWaitTimeInMinutes");
            System.clearProperty("liquibase.changeLogLockPollRate");
        }
        assertThat(db.queryString("SELECT locked::text FROM databasechangeloglock")).as("left as it was")
                .isEqualTo("true");
        assertThat(db.queryLong("SELECT count(*) FROM databasechangelog")).isOne();
    }
}

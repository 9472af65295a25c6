package io.zerolock.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import io.zerolock.testing.Traffic;
import java.time.Duration;
import java.util.List;

/**
 * Writers and a reader use the tables throughout an apply that adds an index, a unique constraint, a
 * foreign key, a CHECK and a NOT NULL to them: no application statement fails, no row is lost, and no
 * session waits on zerolock's locks longer than the lock timeout (as its own lock monitor saw it).
 */
class ApplyUnderTrafficTest {

    @PostgresTest
    void no_application_statement_fails_no_row_is_lost_and_no_wait_passes_the_lock_timeout(TestDatabase db)
            throws Exception {
        db.execute("""
                CREATE TABLE parent (id int NOT NULL, touched int NOT NULL DEFAULT 0, code text, region text);
                INSERT INTO parent (id, code, region) SELECT g, 'p' || g, 'eu' FROM generate_series(1, 20000) g;
                CREATE TABLE child (id bigserial NOT NULL, parent_id int NOT NULL, amount int NOT NULL DEFAULT 1);
                INSERT INTO child (parent_id) SELECT 1 + g % 20000 FROM generate_series(1, 40000) g;
                """);
        String migration = """
                ALTER TABLE parent ADD PRIMARY KEY (id);
                CREATE INDEX child_parent ON child (parent_id);
                ALTER TABLE parent ADD CONSTRAINT parent_code_key UNIQUE (code);
                ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);
                ALTER TABLE child ADD CONSTRAINT child_amount_positive CHECK (amount > 0);
                """ + (db.majorVersion() >= 12 ? "ALTER TABLE parent ALTER COLUMN region SET NOT NULL;\n" : "");
        long childrenBefore = db.queryLong("SELECT count(*) FROM child");
        Duration lockTimeout = Duration.ofMillis(500);
        List<ApplyOutcome> outcomes;
        long writesDuring;
        long inserted;
        List<String> failures;
        try (Traffic traffic = Traffic.start(db, 3, 20000)) {
            long writesBefore = traffic.inserted();
            outcomes = new Applier(ApplyTest.connector(db), ApplyOptions.defaults().withLocks(lockTimeout, 20))
                    .run(List.of(ApplyTest.file("V2__keys.sql", migration)), false);
            writesDuring = traffic.inserted() - writesBefore;
            traffic.awaitMoreWrites();
            traffic.stop();
            inserted = traffic.inserted();
            failures = traffic.failures();
        }
        assertThat(outcomes.get(0).status()).isEqualTo(ApplyOutcome.Status.APPLIED);
        assertThat(failures).isEmpty();
        assertThat(writesDuring).as("writes committed while the migration ran").isPositive();
        assertThat(outcomes.get(0).impact().maxWaitMillis()).as("the longest wait on zerolock's locks")
                .isLessThan(lockTimeout.toMillis() + 1000);
        assertThat(db.queryLong("SELECT count(*) FROM child")).isEqualTo(childrenBefore + inserted);
        assertThat(db.queryString("SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM "
                + "pg_constraint WHERE conrelid IN ('parent'::regclass, 'child'::regclass) AND contype <> 'n'"))
                .isEqualTo("child_amount_positive:true,child_parent_fk:true,parent_code_key:true,parent_pkey:true");
    }
}

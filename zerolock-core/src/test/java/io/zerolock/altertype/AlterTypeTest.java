package io.zerolock.altertype;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zerolock.ConnectionOptions;
import io.zerolock.ErrorCode;
import io.zerolock.ZerolockException;
import io.zerolock.connect.ConnectionResolver;
import io.zerolock.connect.Connector;
import io.zerolock.execute.Executor;
import io.zerolock.testing.CatalogFingerprint;
import io.zerolock.testing.PostgresTest;
import io.zerolock.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * {@code zerolock alter-type} on real servers: after the change (and {@code --finish}) the catalog is what a
 * plain {@code ALTER COLUMN ... TYPE} leaves (but for the column's position), every row's value is the
 * cast of its old one, foreign keys are valid, and nothing of zerolock's is left.
 */
class AlterTypeTest {

    /** A referenced integer primary key: a sequence, two foreign keys (one deferrable, one cascading), a check,
     * a partial and an expression index on it. */
    static final String ACCOUNTS = """
            CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, balance int CHECK (balance >= 0));
            INSERT INTO accounts (name, balance) SELECT 'a' || g, g FROM generate_series(1, 5000) g;
            ALTER TABLE accounts ADD CONSTRAINT accounts_id_positive CHECK (id > 0);
            CREATE INDEX accounts_rich ON accounts (id) WHERE balance > 100;
            CREATE INDEX accounts_id_text ON accounts ((id::text));
            COMMENT ON COLUMN accounts.id IS 'the account';
            CREATE TABLE orders (id bigserial PRIMARY KEY, account_id int REFERENCES accounts ON DELETE CASCADE);
            INSERT INTO orders (account_id) SELECT 1 + g % 5000 FROM generate_series(1, 8000) g;
            CREATE TABLE notes (id int PRIMARY KEY, account_id int, CONSTRAINT notes_account_fk FOREIGN KEY
                (account_id) REFERENCES accounts (id) DEFERRABLE INITIALLY DEFERRED);
            INSERT INTO notes SELECT g, g FROM generate_series(1, 3000) g;
            """;

    static Connector connector(TestDatabase db) {
        return new Connector(new ConnectionResolver(Map.of(), java.nio.file.Path.of("/nonexistent"), "nobody")
                .resolve(ConnectionOptions.ofDbname("postgresql://postgres@localhost:" + db.port() + "/" + db.name())));
    }

    static AlterTyper typer(TestDatabase db) {
        return new AlterTyper(connector(db), AlterTypeOptions.defaults());
    }

    /** The fingerprint without column positions: the new column comes last. */
    static List<String> fingerprint(TestDatabase db) {
        return CatalogFingerprint.of(db, "public").stream().map(line -> line.replaceFirst(" #\\d+ ", " ")).sorted()
                .toList();
    }

    /** The fingerprint but planner statistics, which the change's VACUUM (ANALYZE) gathers and an abort keeps. */
    static List<String> structure(TestDatabase db) {
        return CatalogFingerprint.of(db, "public").stream().filter(line -> !line.startsWith("statistics of")).toList();
    }

    static void assertNothingLeft(SoftAssertions softly, TestDatabase db, String label) {
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'zerolock%'")).as(label + ": triggers")
                .isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_proc WHERE proname LIKE 'zerolock%'")).as(label + ": functions")
                .isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'zerolock%' "
                + "AND relnamespace = 'public'::regnamespace")).as(label + ": relations").isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE conname LIKE 'zerolock%'")).as(label + ": constraints")
                .isZero();
        softly.assertThat(db.queryLong("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "WHERE attname LIKE 'zerolock%' AND NOT attisdropped AND c.relkind = 'r'")).as(label + ": columns").isZero();
    }

    @PostgresTest(versions = {14, 18})
    void changes_a_referenced_serial_primary_key_to_bigint_and_finishes_as_a_plain_alter_would(TestDatabase db) {
        TestDatabase plain = db.sibling();
        plain.execute(ACCOUNTS, "ALTER TABLE accounts ALTER COLUMN id TYPE bigint",
                "ALTER SEQUENCE accounts_id_seq AS bigint");
        db.execute(ACCOUNTS);

        AlterTypeOutcome outcome = typer(db).alter("public.accounts.id", "bigint", null, false);

        assertThat(outcome.status()).isEqualTo(AlterTypeOutcome.Status.DONE);
        assertThat(outcome.strategy()).isEqualTo("online");
        assertThat(outcome.notes()).anyMatch(note -> note.contains("cached plan must not change result type"))
                .anyMatch(note -> note.startsWith("backfill: 5000 rows in "));
        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                + "'accounts'::regclass AND attname = 'id'")).isEqualTo("bigint");
        assertThat(db.queryLong("SELECT count(*) FROM accounts WHERE id IS DISTINCT FROM id_retired")).isZero();
        assertThat(db.queryString("SELECT col_description('accounts'::regclass, (SELECT attnum FROM pg_attribute "
                + "WHERE attrelid = 'accounts'::regclass AND attname = 'id_retired'))"))
                .startsWith("zerolock: retired by alter-type (was integer)");
        assertThat(db.queryString("SELECT string_agg(conname || '=' || convalidated, ',' ORDER BY conname) FROM "
                + "pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace"))
                .isEqualTo("notes_account_fk=true,orders_account_id_fkey=true");
        // the sequence carries on, and can now go past the integer range
        db.execute("INSERT INTO accounts (name, balance) VALUES ('new', 1)");
        assertThat(db.queryLong("SELECT max(id) FROM accounts")).isEqualTo(5001);
        assertThat(db.queryString("SELECT format_type(seqtypid, NULL) FROM pg_sequence WHERE seqrelid = "
                + "'accounts_id_seq'::regclass")).isEqualTo("bigint");
        db.execute("DELETE FROM accounts WHERE id = 4000");
        assertThat(db.queryLong("SELECT count(*) FROM orders WHERE account_id = 4000")).as("ON DELETE CASCADE")
                .isZero();

        AlterTypeOutcome finished = typer(db).finish("accounts.id");
        assertThat(finished.steps()).extracting(AlterTypeOutcome.StepOutcome::name).containsExactly("drop-retired");
        plain.execute("INSERT INTO accounts (name, balance) VALUES ('new', 1)", "DELETE FROM accounts WHERE id = 4000");
        assertThat(fingerprint(db)).containsExactlyElementsOf(fingerprint(plain));
        SoftAssertions softly = new SoftAssertions();
        assertNothingLeft(softly, db, "after --finish");
        softly.assertAll();
    }

    /** Every name quoted, mixed case, with spaces: schema, tables, columns, constraints, indexes, USING. */
    @PostgresTest(versions = {14, 18})
    void changes_a_column_of_quoted_mixed_case_names(TestDatabase db) {
        String setup = """
                CREATE SCHEMA "Shop Floor";
                CREATE TABLE "Shop Floor"."Accounts" ("Id" serial CONSTRAINT "Accounts key" PRIMARY KEY,
                    "Balance" int CONSTRAINT "Balance is positive" CHECK ("Balance" >= 0), "Note" text);
                INSERT INTO "Shop Floor"."Accounts" ("Balance", "Note") SELECT g, 'n' || g FROM generate_series(1, 3000) g;
                CREATE INDEX "Rich accounts" ON "Shop Floor"."Accounts" ("Id") WHERE "Balance" > 100;
                CREATE TABLE "Shop Floor"."Order Lines" ("Line Id" int PRIMARY KEY, "Account Id" int
                    CONSTRAINT "Line's account" REFERENCES "Shop Floor"."Accounts" ON DELETE CASCADE);
                INSERT INTO "Shop Floor"."Order Lines" SELECT g, 1 + g % 3000 FROM generate_series(1, 4000) g;
                """;
        TestDatabase plain = db.sibling();
        plain.execute(setup, "ALTER TABLE \"Shop Floor\".\"Accounts\" ALTER COLUMN \"Id\" TYPE bigint",
                "ALTER TABLE \"Shop Floor\".\"Accounts\" ALTER COLUMN \"Balance\" TYPE numeric USING \"Balance\" * 1.0",
                "ALTER SEQUENCE \"Shop Floor\".\"Accounts_Id_seq\" AS bigint");
        db.execute(setup);

        typer(db).alter("\"Shop Floor\".\"Accounts\".\"Id\"", "bigint", null, false);
        typer(db).alter("\"Shop Floor\".\"Accounts\".\"Balance\"", "numeric", "\"Balance\" * 1.0", false);
        typer(db).finish("\"Shop Floor\".\"Accounts\".\"Id\"");
        typer(db).finish("\"Shop Floor\".\"Accounts\".\"Balance\"");

        List<String> ours = CatalogFingerprint.of(db, "Shop Floor").stream().map(line -> line.replaceFirst(" #\\d+ ",
                " ")).filter(line -> !line.startsWith("statistics of")).sorted().toList();
        List<String> theirs = CatalogFingerprint.of(plain, "Shop Floor").stream().map(line -> line.replaceFirst(
                " #\\d+ ", " ")).filter(line -> !line.startsWith("statistics of")).sorted().toList();
        assertThat(ours).containsExactlyElementsOf(theirs);
        assertThat(db.queryString("SELECT sum(\"Balance\") FROM \"Shop Floor\".\"Accounts\"")).isEqualTo(
                plain.queryString("SELECT sum(\"Balance\") FROM \"Shop Floor\".\"Accounts\""));
    }

    @PostgresTest(versions = 11)
    void refuses_a_not_null_column_before_12_where_the_swap_would_scan(TestDatabase db) {
        db.execute(ACCOUNTS);
        assertThatThrownBy(() -> typer(db).alter("accounts.id", "bigint", null, false))
                .isInstanceOfSatisfying(ZerolockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REFUSED))
                .hasMessageContaining("cannot take a validated CHECK as proof").hasMessageContaining("Nothing was changed");
        SoftAssertions softly = new SoftAssertions();
        assertNothingLeft(softly, db, "refused");
        softly.assertAll();
    }

    @PostgresTest(versions = {14, 18})
    void changes_an_identity_primary_key_keeping_the_identity_and_its_sequence(TestDatabase db) {
        db.execute("CREATE TABLE events (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)",
                "INSERT INTO events (v) SELECT 'e' || g FROM generate_series(1, 2000) g");

        typer(db).alter("events.id", "bigint", null, false);

        assertThat(db.queryString("SELECT attidentity::text || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'events'::regclass AND attname = 'id'")).isEqualTo("a bigint");
        assertThat(db.queryString("SELECT pg_get_serial_sequence('events', 'id')")).isEqualTo("public.events_id_seq");
        db.execute("INSERT INTO events (v) VALUES ('next')");
        assertThat(db.queryLong("SELECT id FROM events WHERE v = 'next'")).isEqualTo(2001);
        assertThat(db.queryLong("SELECT count(*) FROM events WHERE id IS DISTINCT FROM id_retired AND v <> 'next'"))
                .isZero();
    }

    /** A nullable column (so on 11 too), a USING expression; rows written while it runs are kept in step. */
    @PostgresTest
    void changes_text_to_jsonb_with_using_and_keeps_rows_written_meanwhile_in_step(TestDatabase db) {
        db.execute("CREATE TABLE docs (id int PRIMARY KEY, payload text, kind text)",
                "INSERT INTO docs SELECT g, '{\"n\": ' || g || '}', 'k' FROM generate_series(1, 3000) g",
                "CREATE INDEX docs_payload ON docs (payload) WHERE kind = 'k'");
        System.setProperty(Executor.HALT_AFTER_STEP, "expand");
        try {
            assertThatThrownBy(() -> typer(db).alter("docs.payload", "jsonb", "payload::jsonb || '{\"v\": 1}'", false))
                    .isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
        // the application writes while the change is under way: the trigger keeps the new column in step
        db.execute("INSERT INTO docs VALUES (5000, '{\"n\": 5000}', 'k')", "UPDATE docs SET payload = '{\"n\": -1}' "
                + "WHERE id = 7");
        assertThatThrownBy(() -> db.execute("INSERT INTO docs VALUES (5001, 'not json', 'k')"))
                .as("a value that does not convert fails the write, loudly").hasMessageContaining("json");

        typer(db).alter("docs.payload", "jsonb", "payload::jsonb || '{\"v\": 1}'", false);

        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                + "'docs'::regclass AND attname = 'payload'")).isEqualTo("jsonb");
        assertThat(db.queryLong("SELECT count(*) FROM docs WHERE payload IS DISTINCT FROM "
                + "payload_retired::jsonb || '{\"v\": 1}'")).isZero();
        assertThat(db.queryString("SELECT payload::text FROM docs WHERE id = 7")).isEqualTo("{\"n\": -1, \"v\": 1}");
        assertThat(db.queryString("SELECT pg_get_indexdef('docs_payload'::regclass)"))
                .isEqualTo("CREATE INDEX docs_payload ON public.docs USING btree (payload) WHERE (kind = 'k'::text)");
        assertThat(db.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM zerolock.operation"))
                .isEqualTo("interrupted,done");
    }

    @PostgresTest(versions = 18)
    void refuses_a_column_a_view_uses_and_changes_nothing(TestDatabase db) {
        db.execute("CREATE TABLE docs (id int PRIMARY KEY, payload text)", "CREATE VIEW doc_payloads AS "
                + "SELECT payload FROM docs");
        assertThatThrownBy(() -> typer(db).alter("docs.payload", "jsonb", "payload::jsonb", false))
                .hasMessageContaining("view doc_payloads uses it");
        assertThat(db.queryLong("SELECT count(*) FROM pg_attribute WHERE attrelid = 'docs'::regclass "
                + "AND attname LIKE 'zerolock%'")).isZero();
    }

    @PostgresTest(versions = 18)
    void abort_before_the_swap_leaves_the_table_as_it_was(TestDatabase db) {
        db.execute(ACCOUNTS);
        List<String> before = structure(db);
        System.setProperty(Executor.HALT_AFTER_STEP, "build:accounts_rich");
        try {
            assertThatThrownBy(() -> typer(db).alter("accounts.id", "bigint", null, false))
                    .isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
        AlterTypeOutcome aborted = typer(db).abort("accounts.id");
        assertThat(aborted.strategy()).isEqualTo("abort");
        assertThat(structure(db)).containsExactlyElementsOf(before);
        SoftAssertions softly = new SoftAssertions();
        assertNothingLeft(softly, db, "aborted");
        softly.assertAll();
        assertThat(typer(db).abort("accounts.id").status()).isEqualTo(AlterTypeOutcome.Status.NOTHING_TO_DO);
    }

    @PostgresTest(versions = 18)
    void a_change_postgres_makes_without_a_rewrite_is_one_bounded_alter(TestDatabase db) {
        db.execute("CREATE TABLE tags (id int PRIMARY KEY, label varchar(10))");
        AlterTypeOutcome outcome = typer(db).alter("tags.label", "varchar(40)", null, false);
        assertThat(outcome.strategy()).isEqualTo("in-place");
        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                + "'tags'::regclass AND attname = 'label'")).isEqualTo("character varying(40)");
        assertThat(typer(db).alter("tags.label", "varchar(40)", null, false).status())
                .isEqualTo(AlterTypeOutcome.Status.NOTHING_TO_DO);
    }

    @PostgresTest(versions = 18)
    void bad_input_is_a_clear_error(TestDatabase db) {
        db.execute("CREATE TABLE tags (id int PRIMARY KEY, label text)");
        assertThatThrownBy(() -> typer(db).alter("tags.label", "no_such_type", null, false))
                .hasMessageContaining("PostgreSQL does not know the type no_such_type");
        assertThatThrownBy(() -> typer(db).alter("tags.label", "int; DROP TABLE tags", null, false))
                .hasMessageContaining("must be one SQL expression");
        assertThatThrownBy(() -> typer(db).alter("tags.\"Label\"", "int", null, false))
                .hasMessageContaining("column \"Label\" of public.tags does not exist (did you mean label?)");
        assertThatThrownBy(() -> typer(db).alter("tags", "int", null, false))
                .hasMessageContaining("expected [schema.]table.column");
        assertThatThrownBy(() -> typer(db).finish("tags.label")).hasMessageContaining("no column retired");
    }

    /**
     * {@code zerolock resume} without the command's arguments: a change whose run died after its swap is
     * finished (its foreign keys validated); one that died before is said to be finished by the next run.
     */
    @PostgresTest(versions = 18)
    void resume_finishes_a_change_that_died_after_its_swap_and_leaves_an_earlier_one_to_the_next_run(
            TestDatabase db) {
        db.execute(ACCOUNTS);
        halt(db, "swap");
        List<String> lines = resumeUntilSomethingIsDone(db);
        assertThat(lines).singleElement().asString().contains("public.accounts.id: type change")
                .contains("swap had committed; validated 2 foreign key(s)");
        assertThat(db.queryLong("SELECT count(*) FROM pg_constraint WHERE NOT convalidated")).isZero();
        assertThat(db.queryString("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                + "'accounts'::regclass AND attname = 'id'")).isEqualTo("bigint");

        TestDatabase early = db.sibling();
        early.execute(ACCOUNTS);
        halt(early, "backfill");
        assertThat(resumeUntilSomethingIsDone(early)).singleElement().asString()
                .contains("died before its swap").contains("--abort");
        typer(early).alter("accounts.id", "bigint", null, false);
        assertThat(early.queryString("SELECT string_agg(outcome, ',' ORDER BY id) FROM zerolock.operation"))
                .isEqualTo("interrupted,done");
    }

    private static void halt(TestDatabase db, String step) {
        System.setProperty(Executor.HALT_AFTER_STEP, step);
        try {
            assertThatThrownBy(() -> typer(db).alter("accounts.id", "bigint", null, false))
                    .isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
    }

    /** The halted run's connections close as it unwinds; the server notices their backends gone soon after. */
    private static List<String> resumeUntilSomethingIsDone(TestDatabase db) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        try (io.zerolock.Zerolock zerolock = io.zerolock.Zerolock.connect(ConnectionOptions.ofDbname(
                "postgresql://postgres@localhost:" + db.port() + "/" + db.name()))) {
            while (true) {
                List<String> lines = zerolock.resume(io.zerolock.reindex.ReindexOptions.defaults());
                if (!lines.isEmpty() || System.nanoTime() > deadline) {
                    return lines;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * {@code --cascade}: the referencing columns become bigint too, in the same operation and the same swap;
     * after --finish of each, the catalog is what plain ALTERs of all three leave.
     */
    @PostgresTest(versions = {14, 18})
    void cascade_changes_the_referencing_columns_in_the_same_swap(TestDatabase db) {
        TestDatabase plain = db.sibling();
        plain.execute(ACCOUNTS, "ALTER TABLE accounts ALTER COLUMN id TYPE bigint",
                "ALTER TABLE orders ALTER COLUMN account_id TYPE bigint",
                "ALTER TABLE notes ALTER COLUMN account_id TYPE bigint", "ALTER SEQUENCE accounts_id_seq AS bigint");
        db.execute(ACCOUNTS, "CREATE INDEX orders_account ON orders (account_id)");
        plain.execute("CREATE INDEX orders_account ON orders (account_id)");

        AlterTypeOutcome planned = new AlterTyper(connector(db), AlterTypeOptions.defaults())
                .alter("accounts.id", "bigint", null, true, true);
        assertThat(planned.steps()).extracting(AlterTypeOutcome.StepOutcome::name).contains("expand",
                "expand@public.orders", "backfill@public.notes", "build:orders_account@public.orders", "swap",
                "validate:orders_account_id_fkey", "validate:notes_account_fk");
        new AlterTyper(connector(db), AlterTypeOptions.defaults()).alter("accounts.id", "bigint", null, true, false);

        assertThat(db.queryString("SELECT string_agg(attrelid::regclass || '.' || attname || ' ' || "
                + "format_type(atttypid, atttypmod), ', ' ORDER BY attrelid::regclass::text) FROM pg_attribute WHERE "
                + "attname IN ('id', 'account_id') AND attrelid IN ('accounts'::regclass, 'orders'::regclass, "
                + "'notes'::regclass) AND NOT (attrelid <> 'accounts'::regclass AND attname = 'id')"))
                .isEqualTo("accounts.id bigint, notes.account_id bigint, orders.account_id bigint");
        assertThat(db.queryLong("SELECT count(*) FROM orders WHERE account_id IS DISTINCT FROM account_id_retired"))
                .isZero();
        typer(db).finish("accounts.id");
        typer(db).finish("orders.account_id");
        typer(db).finish("notes.account_id");
        assertThat(fingerprint(db)).containsExactlyElementsOf(fingerprint(plain));
        SoftAssertions softly = new SoftAssertions();
        assertNothingLeft(softly, db, "cascaded");
        softly.assertAll();
    }

    @PostgresTest(versions = 18)
    void abort_takes_back_the_cascaded_columns_too(TestDatabase db) {
        db.execute(ACCOUNTS);
        List<String> before = structure(db);
        List<String> steps = new AlterTyper(connector(db), AlterTypeOptions.defaults()).alter("accounts.id", "bigint",
                null, true, true).steps().stream().map(AlterTypeOutcome.StepOutcome::name).toList();
        System.setProperty(Executor.HALT_AFTER_STEP, steps.get(steps.indexOf("swap") - 1)); // all expanded by then
        try {
            assertThatThrownBy(() -> new AlterTyper(connector(db), AlterTypeOptions.defaults()).alter("accounts.id",
                    "bigint", null, true, false)).isInstanceOf(Executor.HaltedForTest.class);
        } finally {
            System.clearProperty(Executor.HALT_AFTER_STEP);
        }
        assertThat(typer(db).abort("accounts.id").steps()).extracting(AlterTypeOutcome.StepOutcome::name)
                .contains("drop-column", "drop-column@public.orders", "drop-column@public.notes");
        assertThat(structure(db)).containsExactlyElementsOf(before);
    }

    /** Halted after each step, as if killed: the next run finishes it, with the catalog and rows of a whole run. */
    @PostgresTest(versions = {14, 18})
    void the_next_run_after_a_halt_at_any_step_finishes_the_change(TestDatabase db) {
        TestDatabase whole = db.sibling();
        whole.execute(ACCOUNTS);
        AlterTypeOutcome planned = typer(whole).alter("accounts.id", "bigint", null, true);
        typer(whole).alter("accounts.id", "bigint", null, false);
        List<String> expected = fingerprint(whole);

        SoftAssertions softly = new SoftAssertions();
        for (AlterTypeOutcome.StepOutcome step : planned.steps()) {
            String label = "halted after " + step.name() + " / PG " + db.majorVersion();
            TestDatabase target = db.sibling();
            target.execute(ACCOUNTS);
            System.setProperty(Executor.HALT_AFTER_STEP, step.name());
            try {
                typer(target).alter("accounts.id", "bigint", null, false);
                softly.fail(label + ": the run did not halt");
            } catch (Executor.HaltedForTest halted) {
                // stopped dead after the step, as if killed
            } finally {
                System.clearProperty(Executor.HALT_AFTER_STEP);
            }
            try {
                typer(target).alter("accounts.id", "bigint", null, false);
            } catch (RuntimeException e) {
                softly.fail(label + ": the next run failed: " + e.getMessage());
                continue;
            }
            softly.assertThat(fingerprint(target)).as(label).containsExactlyElementsOf(expected);
            softly.assertThat(target.queryLong("SELECT count(*) FROM accounts WHERE id IS DISTINCT FROM id_retired"))
                    .as(label).isZero();
            softly.assertThat(target.queryLong("SELECT count(*) FROM pg_constraint WHERE NOT convalidated")).as(label)
                    .isZero();
        }
        softly.assertAll();
    }
}

-- Cases from real projects' migrations: what a real server does, and what it does not.
SET lock_timeout = '1s';
-- type aliases are the same type: no rewrite, no finding
ALTER TABLE orders ALTER COLUMN amount TYPE integer;
ALTER TABLE orders ALTER COLUMN amount TYPE int4;
ALTER TABLE orders ALTER COLUMN id TYPE int8;
ALTER TABLE orders ALTER COLUMN code TYPE character varying(10);
ALTER TABLE orders ALTER COLUMN total TYPE decimal(10, 2);
-- expect: ZL014
ALTER TABLE orders ALTER COLUMN amount TYPE int8;
-- timestamp to timestamptz rewrites, unless the session's time zone is UTC (12+)
CREATE TABLE shipments (id bigint PRIMARY KEY, sent timestamp, arrived timestamp(3) without time zone);
SELECT 1;
SET timezone = 'Europe/Paris';
-- expect: ZL014
ALTER TABLE deliveries ALTER COLUMN sent TYPE timestamptz;
SET TIME ZONE 'UTC';
-- a trigger dropped: ACCESS EXCLUSIVE, but brief under the lock_timeout set above
DROP TRIGGER IF EXISTS audit ON orders;
-- lock_timeout back to the server's default (0): it protects nothing any more
SET lock_timeout TO DEFAULT;
-- expect: ZL021 ZL022
DROP TRIGGER audit ON orders;
SET lock_timeout = 0;
-- expect: ZL022
ALTER TABLE orders DROP CONSTRAINT orders_code_check;
-- a timeout set through set_config counts
SELECT set_config('lock_timeout', '2s', false);
ALTER TABLE orders DROP CONSTRAINT orders_code_check;
-- a user's function is volatile unless declared otherwise: a DEFAULT calling it rewrites the table
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE OR REPLACE FUNCTION tenant() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;
-- expect: ZL006
ALTER TABLE orders ADD COLUMN ref text DEFAULT next_code();
ALTER TABLE orders ADD COLUMN tenant_id int DEFAULT tenant();
-- DDL inside a DO block: a constant EXECUTE is checked as the statement it runs, at the block's place
-- expect: ZL001
DO $$ BEGIN EXECUTE 'CREATE INDEX orders_ref ON orders (ref)'; END $$;

SET lock_timeout = '1s';
-- expect: ZL001
CREATE INDEX orders_status ON orders (status);
CREATE INDEX CONCURRENTLY orders_status ON orders (status);
-- expect: ZL005
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note ON orders (note);
-- ACCESS EXCLUSIVE, but brief and bounded by the lock_timeout above: blocks no one for long
DROP INDEX orders_status;
DROP INDEX CONCURRENTLY IF EXISTS orders_status;
-- expect: ZL003
REINDEX INDEX orders_pkey;
-- expect: ZL003
REINDEX TABLE orders;
-- expect(-11): ZL029
REINDEX INDEX CONCURRENTLY orders_pkey;
CREATE TABLE fresh (id int);
-- a table created in the same file is empty: nothing to wait for
CREATE INDEX fresh_id ON fresh (id);
DROP INDEX fresh_id;
-- zerolock:ignore ZL001 built in the maintenance window of 2026-11-30
CREATE INDEX orders_total ON orders (total);
BEGIN;
-- expect: ZL004
CREATE INDEX CONCURRENTLY orders_code ON orders (code);
COMMIT;

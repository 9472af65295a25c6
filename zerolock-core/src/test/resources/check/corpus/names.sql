-- Tables are known by schema: audit.orders is not public.orders.
SET lock_timeout = '1s';
CREATE TABLE audit.orders (id bigint, at timestamptz);
CREATE INDEX audit_orders_at ON audit.orders (at);
-- expect: ZL001
CREATE INDEX orders_note ON public.orders (note);
-- expect: ZL001
CREATE INDEX orders_note2 ON orders (note);
-- with search_path, an unqualified name is found where PostgreSQL would find it
SET search_path TO audit, public;
CREATE INDEX audit_orders_id ON orders (id);
-- expect: ZL001
CREATE INDEX customers_name ON customers (name);
SET search_path = DEFAULT;
-- expect: ZL001
CREATE INDEX orders_note3 ON orders (note);
-- column types follow renames: a widening after a rename is still a widening
-- expect: ZL015
ALTER TABLE orders RENAME COLUMN code TO sku;
ALTER TABLE orders ALTER COLUMN sku TYPE varchar(40);
-- expect: ZL015
ALTER TABLE customers RENAME TO clients;
ALTER TABLE clients ALTER COLUMN name TYPE text;
-- expect: ZL014
ALTER TABLE clients ALTER COLUMN id TYPE int;
-- DROP INDEX IF EXISTS of an index no migration created: nothing there to lock
DROP INDEX IF EXISTS legacy_orders_idx;
-- an index these migrations made on an existing table: brief ACCESS EXCLUSIVE, bounded by the lock_timeout
DROP INDEX IF EXISTS orders_note;
SET lock_timeout = 0;
-- expect: ZL002 ZL022
DROP INDEX IF EXISTS orders_note2;
-- more statements that queue behind a lock when there is no lock_timeout
-- expect(-11): ZL022
ALTER INDEX orders_pkey RENAME TO orders_pk;
-- expect: ZL022
ALTER SEQUENCE orders_id_seq RESTART WITH 1000;
-- expect: ZL022
CREATE OR REPLACE VIEW open_orders AS SELECT * FROM orders WHERE status = 'open';
-- expect: ZL019 ZL022
ALTER INDEX customers_pkey SET TABLESPACE pg_default;
-- ALTER TABLE IF EXISTS of a table no migration made: nothing there, nothing locked
ALTER TABLE IF EXISTS legacy_audit ADD COLUMN note text;
-- an index ON ONLY the partitioned parent is made instantly (then attached partition by partition)
CREATE INDEX events_at ON ONLY events (at);

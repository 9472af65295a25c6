-- Statements the target version refuses: the deploy breaks there.
SET lock_timeout = '1s';
-- expect(-11): ZL029
REINDEX INDEX CONCURRENTLY orders_pkey;
CREATE TABLE measurements (id bigint, at date) PARTITION BY RANGE (at);
SELECT 1;
-- expect: ZL029
CREATE INDEX CONCURRENTLY measurements_at ON measurements (at);
-- expect: ZL029
ALTER TABLE orders ADD COLUMN region text NOT NULL;
ALTER TABLE orders ADD COLUMN region2 text NOT NULL DEFAULT 'eu';
-- expect: ZL026
ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
-- expect(-14): ZL029
CREATE UNIQUE INDEX CONCURRENTLY orders_code_nnd ON orders (code) NULLS NOT DISTINCT;
-- expect: ZL026
-- expect(-11): ZL029
ALTER TABLE orders ADD COLUMN total2 numeric GENERATED ALWAYS AS (total * 2) STORED;
-- expect(-17): ZL029
ALTER TABLE orders ADD COLUMN total3 numeric GENERATED ALWAYS AS (total * 3);
-- expect(-17): ZL029
ALTER TABLE orders ADD CONSTRAINT orders_note_nn NOT NULL note NOT VALID;
BEGIN;
-- expect: ZL029
VACUUM orders;
COMMIT;
CREATE MATERIALIZED VIEW order_totals AS SELECT id, total FROM orders;
SELECT 1;
-- expect: ZL029
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
CREATE UNIQUE INDEX CONCURRENTLY order_totals_id ON order_totals (id);
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
CREATE TABLE measurements_other PARTITION OF measurements DEFAULT;
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
SELECT 1;
-- expect: ZL029
ALTER TABLE measurements DETACH PARTITION measurements_2026 CONCURRENTLY;

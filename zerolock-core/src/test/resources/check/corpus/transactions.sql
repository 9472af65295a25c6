-- expect: ZL022
ALTER TABLE orders ADD COLUMN a int;
SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN b int;
RESET lock_timeout;
-- expect: ZL016 ZL022
ALTER TABLE orders DROP COLUMN IF EXISTS z;
SET lock_timeout = 0;
-- expect: ZL022
LOCK TABLE orders;
LOCK TABLE orders IN ACCESS SHARE MODE;
BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE orders ADD COLUMN c int;
-- expect: ZL023 ZL024 ZL030
UPDATE orders SET c = 0;
-- quick, under the lock_timeout: the long work above is what held the lock (reported there)
ALTER TABLE orders ADD COLUMN d int;
COMMIT;
-- the SET LOCAL ended with its transaction
-- expect: ZL022
ALTER TABLE orders ADD COLUMN e int;
-- a backfill on its own, no finding
UPDATE orders SET c = 0 WHERE id < 1000;
-- a lock_timeout of minutes lets the application queue that long: it protects nothing
SET lock_timeout = '5min';
-- expect: ZL022
ALTER TABLE orders DROP CONSTRAINT orders_x_check;
SET lock_timeout = '2s';
-- several quick changes under a lock_timeout, in one transaction: brief, not reported
BEGIN;
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
ALTER TABLE orders ALTER COLUMN code SET DEFAULT '';
COMMENT ON COLUMN orders.note IS 'free text';
-- expect: ZL023 ZL024
UPDATE orders SET note = '' WHERE note IS NULL;
COMMIT;

SET lock_timeout = '1s';
-- expect: ZL019
VACUUM FULL orders;
VACUUM (ANALYZE) orders;
-- expect: ZL019
VACUUM (FULL, VERBOSE) customers;
-- expect: ZL019
CLUSTER orders USING orders_pkey;
-- expect: ZL019
ALTER TABLE orders SET TABLESPACE pg_default;
-- expect: ZL019
ALTER TABLE orders SET LOGGED;
-- expect: ZL020
REFRESH MATERIALIZED VIEW totals;
REFRESH MATERIALIZED VIEW CONCURRENTLY totals;
-- brief SHARE ROW EXCLUSIVE under the lock_timeout above: blocks no one for long
CREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();
ALTER TABLE orders DISABLE TRIGGER audit;
-- expect: ZL028
TRUNCATE orders;
CREATE TABLE scratch (id int);
CREATE TRIGGER scratch_audit AFTER UPDATE ON scratch FOR EACH ROW EXECUTE FUNCTION audit();
TRUNCATE scratch;
VACUUM FULL scratch;
DROP TABLE scratch;

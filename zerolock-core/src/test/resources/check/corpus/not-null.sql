SET lock_timeout = '1s';
-- expect: ZL007
ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE customers ADD CONSTRAINT name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE customers VALIDATE CONSTRAINT name_not_null;
-- with a validated CHECK (name IS NOT NULL), PostgreSQL 12+ skips the scan
-- expect(-11): ZL007
ALTER TABLE customers ALTER COLUMN name SET NOT NULL;
ALTER TABLE customers DROP CONSTRAINT name_not_null;
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT amount_positive;
-- a validated foreign key, or a CHECK on another column, proves nothing about NULLs in status
-- expect: ZL007
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;

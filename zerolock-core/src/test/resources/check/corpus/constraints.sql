SET lock_timeout = '1s';
-- expect: ZL008
ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0);
ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT amount_positive;
-- expect: ZL009
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk2 FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;
-- expect: ZL011
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
CREATE UNIQUE INDEX CONCURRENTLY customers_name_key ON customers (name);
ALTER TABLE customers ADD CONSTRAINT customers_name_key UNIQUE USING INDEX customers_name_key;
-- expect: ZL012
ALTER TABLE customers ADD CONSTRAINT customers_pk PRIMARY KEY USING INDEX customers_name_key;
-- expect: ZL013
ALTER TABLE orders ADD CONSTRAINT no_overlap EXCLUDE USING gist (id WITH =);
BEGIN;
ALTER TABLE orders ADD CONSTRAINT code_set CHECK (code IS NOT NULL) NOT VALID;
-- expect: ZL010 ZL023
ALTER TABLE orders VALIDATE CONSTRAINT code_set;
COMMIT;
-- expect: ZL025
ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);
ALTER DOMAIN positive ADD CONSTRAINT positive_check2 CHECK (VALUE > 0) NOT VALID;
CREATE UNIQUE INDEX CONCURRENTLY orders_id_key ON orders (id);
-- orders.id is the primary key column, NOT NULL already: no scan
ALTER TABLE orders ADD CONSTRAINT orders_pk2 PRIMARY KEY USING INDEX orders_id_key;
CREATE TABLE slots (r int4range);
ALTER TABLE slots ADD CONSTRAINT slots_no_overlap EXCLUDE USING gist (r WITH &&);
ALTER TABLE slots ADD CONSTRAINT slots_r_check CHECK (r IS NOT NULL);
BEGIN;
-- expect(-11): ZL004
ALTER TYPE mood ADD VALUE 'meh';
COMMIT;

SET lock_timeout = '1s';
-- expect: ZL006
ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN flag boolean DEFAULT false;
-- expect: ZL026
ALTER TABLE orders ADD COLUMN seq bigserial;
-- expect: ZL026
-- expect(-11): ZL029
ALTER TABLE orders ADD COLUMN doubled int GENERATED ALWAYS AS (amount * 2) STORED;
-- expect: ZL027
ALTER TABLE orders ADD COLUMN payload json;
ALTER TABLE orders ADD COLUMN payload2 jsonb;
-- varchar widening and varchar to text are binary-coercible: no rewrite
ALTER TABLE orders ALTER COLUMN status TYPE varchar(50);
ALTER TABLE orders ALTER COLUMN code TYPE text;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
-- expect: ZL014
ALTER TABLE orders ALTER COLUMN amount TYPE bigint;
-- expect: ZL014
ALTER TABLE orders ALTER COLUMN status TYPE varchar(10);
-- expect: ZL014
ALTER TABLE customers ALTER COLUMN name TYPE varchar(40) USING left(name, 40);
-- expect: ZL015
ALTER TABLE orders RENAME COLUMN note TO remark;
-- expect: ZL015
ALTER TABLE customers RENAME TO clients;
ALTER TABLE orders RENAME CONSTRAINT orders_pkey TO orders_pk;
-- expect: ZL016
ALTER TABLE orders DROP COLUMN remark;
-- expect: ZL016
DROP TABLE clients;

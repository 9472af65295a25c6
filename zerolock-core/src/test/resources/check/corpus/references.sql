-- A new table's foreign keys lock the existing tables they reference (SHARE ROW EXCLUSIVE): their
-- writers wait, and without lock_timeout the statement queues behind every transaction on them.
-- expect: ZL022
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);
-- expect: ZL022
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint, FOREIGN KEY (order_id) REFERENCES orders (id));
CREATE TABLE notes (id bigint PRIMARY KEY, invoice_id bigint REFERENCES invoices);
CREATE TABLE tags (id bigint PRIMARY KEY, order_id bigint);
-- expect: ZL022
ALTER TABLE tags ADD CONSTRAINT tags_order_fk FOREIGN KEY (order_id) REFERENCES orders;
ALTER TABLE notes ADD CONSTRAINT notes_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoices;
-- a partition of an existing table: ACCESS EXCLUSIVE on the parent
-- expect: ZL022
CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
SET lock_timeout = '1s';
CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);
-- constraints written inside ADD COLUMN on an existing table are constraints like any other
-- expect: ZL009
ALTER TABLE orders ADD COLUMN payment_id bigint REFERENCES payments;
-- expect: ZL011
ALTER TABLE customers ADD COLUMN phone varchar(15) UNIQUE;
-- expect: ZL008
ALTER TABLE orders ADD COLUMN discount int CHECK (discount >= 0);
-- expect: ZL006 ZL009
ALTER TABLE orders ADD COLUMN rep_id bigint CONSTRAINT orders_rep_fk REFERENCES customers NOT NULL DEFAULT random();

-- Backfills: an UPDATE of every row of an existing table in one statement (ZL030); apply runs it in key ranges.

-- expect: ZL030
UPDATE customers SET email = lower(email);

-- a range, or any WHERE: the author chose the rows
UPDATE customers SET email = lower(email) WHERE id < 1000;

-- a join or a RETURNING is not a plain backfill
UPDATE customers c SET email = o.status FROM orders o WHERE o.customer_id = c.id;

-- a subquery's WHERE is not the statement's
-- expect: ZL030
UPDATE customers SET email = (SELECT min(status) FROM orders WHERE orders.customer_id = customers.id);

CREATE TABLE fresh (id int PRIMARY KEY, v int);
-- a table made in these migrations has no rows to lock
UPDATE fresh SET v = 1;

-- The schema the corpus files change: created by earlier migrations, so full of rows by now.
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status varchar(20), total numeric(10, 2),
    note text, code varchar(10), amount int);
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, name text);
CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE events_2025 (id bigint, at timestamptz);
CREATE TABLE events_2026 (id bigint, at timestamptz);
CREATE MATERIALIZED VIEW totals AS SELECT 1 AS x;
CREATE UNIQUE INDEX totals_x ON totals (x);
CREATE DOMAIN positive AS int;
CREATE TYPE mood AS ENUM ('ok');
CREATE TABLE events_log (id bigint PRIMARY KEY, at timestamp, at3 timestamp(3));

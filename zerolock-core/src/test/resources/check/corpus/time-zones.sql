-- Columns created by an earlier file (the history), changed here under a session time zone of UTC.
SET lock_timeout = '1s';
SET TIME ZONE 'UTC';
-- expect(-11): ZL014
ALTER TABLE events_log ALTER COLUMN at TYPE timestamptz;
-- expect(-11): ZL014
ALTER TABLE events_log ALTER COLUMN at3 TYPE timestamp(3) with time zone;
-- a precision change is a rewrite in any time zone
-- expect: ZL014
ALTER TABLE events_log ALTER COLUMN at TYPE timestamp(0) with time zone;
SET timezone TO DEFAULT;
-- expect: ZL014
ALTER TABLE events_log ALTER COLUMN at TYPE timestamptz;

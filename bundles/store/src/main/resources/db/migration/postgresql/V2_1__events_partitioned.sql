-- PostgreSQL only: events partitioned by range of id. An id is a UUIDv7 whose first 48 bits are
-- the milliseconds it was made (with the event), so a range of ids is a range of time, and the
-- primary key (id) stays unique across partitions. EventPartitions makes one partition per UTC
-- day ahead of time and drops whole days for retention; the default partition catches ids of
-- days that have no partition (clock far off, or older than the first partition).
ALTER TABLE events RENAME TO events_unpartitioned;
ALTER INDEX events_pk RENAME TO events_unpartitioned_pk;
ALTER INDEX events_customer_time RENAME TO events_unpartitioned_customer_time;
ALTER INDEX events_appliance_time RENAME TO events_unpartitioned_appliance_time;
CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (id);
ALTER TABLE events ADD CONSTRAINT events_pk PRIMARY KEY (id);
CREATE INDEX events_customer_time ON events (customer_id, event_time);
CREATE INDEX events_appliance_time ON events (appliance_id, event_time);
DROP TABLE events_unpartitioned;
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- PostgreSQL only: alerts partitioned by range of id, one partition per UTC day of the id's
-- time, as events (V2_1): an alert id begins with its first event's milliseconds.
ALTER TABLE alerts RENAME TO alerts_unpartitioned;
ALTER INDEX alerts_pk RENAME TO alerts_unpartitioned_pk;
ALTER INDEX alerts_customer_time RENAME TO alerts_unpartitioned_customer_time;
ALTER INDEX alerts_appliance_time RENAME TO alerts_unpartitioned_appliance_time;
CREATE TABLE alerts (LIKE alerts_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (id);
ALTER TABLE alerts ADD CONSTRAINT alerts_pk PRIMARY KEY (id);
CREATE INDEX alerts_customer_time ON alerts (customer_id, last_time);
CREATE INDEX alerts_appliance_time ON alerts (appliance_id, last_time);
DROP TABLE alerts_unpartitioned;
CREATE TABLE alerts_default PARTITION OF alerts DEFAULT;

-- Dated reads (Statistics: status, alert pages, comparisons, customer overview) add the id range a
-- period implies to their WHERE, so PostgreSQL prunes the partitions of events and alerts (they are
-- partitioned by id, a UUID whose first 48 bits are the milliseconds the appliance made it): a row
-- timed t is looked for among ids of [t - slack, t + slack] (docs/store.md "Partition pruning").
-- Nothing at ingest forces an id's milliseconds near the row's time (an appliance whose clock stepped
-- back keeps its ids ahead, EventIds never goes back), so the rows that are not within the slack are
-- noted here at ingest, one row per customer, UTC day of the row's time and appliance; a read whose
-- period touches such a day drops the id range and reads as before. Rows are never deleted (a few).
CREATE TABLE id_time_outliers (
    customer_id   BIGINT NOT NULL,
    utc_day       BIGINT NOT NULL,
    appliance_id  CHAR(12) NOT NULL,
    CONSTRAINT id_time_outliers_pk PRIMARY KEY (customer_id, utc_day, appliance_id)
);
CREATE INDEX id_time_outliers_day ON id_time_outliers (utc_day);

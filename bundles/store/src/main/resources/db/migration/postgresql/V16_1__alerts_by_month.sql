-- PostgreSQL only: alerts partitioned by the UTC month of their ids instead of by day (V5_1).
-- Alerts are about a hundredth of the events: a day's partition held a few hundred rows, and every
-- dated read of a customer's alerts planned and opened 30-94 of them (the portal's dashboard, alert
-- list and reseller overview spent most of their time planning). By month, a 30-day read opens 2-3
-- partitions and a 90-day read 4-5; retention still drops whole partitions and deletes the rows of
-- the partly expired month (docs/store.md "Partitions").
ALTER TABLE alerts RENAME TO alerts_by_day;
ALTER TABLE alerts_by_day RENAME CONSTRAINT alerts_pk TO alerts_by_day_pk;
ALTER INDEX alerts_customer_time RENAME TO alerts_by_day_customer_time;
ALTER INDEX alerts_appliance_time RENAME TO alerts_by_day_appliance_time;
ALTER INDEX alerts_customer_display RENAME TO alerts_by_day_customer_display;
ALTER INDEX alerts_open_important RENAME TO alerts_by_day_open_important;
ALTER TABLE alerts_default RENAME TO alerts_by_day_default;

CREATE TABLE alerts (LIKE alerts_by_day INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (id);
ALTER TABLE alerts ADD CONSTRAINT alerts_pk PRIMARY KEY (id, customer_id);
CREATE INDEX alerts_customer_time ON alerts (customer_id, last_time);
CREATE INDEX alerts_appliance_time ON alerts (appliance_id, last_time);
CREATE INDEX alerts_customer_display ON alerts (customer_id, display_id);
CREATE INDEX alerts_open_important ON alerts (customer_id) INCLUDE (grade, first_time, last_time, id)
    WHERE state = 'OPEN' AND suppressed_by IS NULL AND grade IN ('HIGH', 'MEDIUM');
CREATE TABLE alerts_default PARTITION OF alerts DEFAULT;

-- A partition per month that holds alerts, within 400 days back and 31 days ahead (ids far off
-- their time stay in the default partition, as they would at ingest).
DO $$
DECLARE
    month_start DATE;
    lo UUID;
    hi UUID;
BEGIN
    FOR month_start IN
        SELECT DISTINCT date_trunc('month', to_timestamp(('x' || lpad(replace(substr(id::text, 1, 13), '-', ''), 16, '0'))::bit(64)::bigint / 1000.0) AT TIME ZONE 'UTC')::date
        FROM alerts_by_day
    LOOP
        CONTINUE WHEN month_start < (now() AT TIME ZONE 'UTC')::date - 400 OR month_start > (now() AT TIME ZONE 'UTC')::date + 31;
        lo := (SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-0000-0000-000000000000')::uuid
               FROM (SELECT lpad(to_hex((extract(epoch FROM month_start::timestamp AT TIME ZONE 'UTC') * 1000)::bigint), 12, '0') AS h) x);
        hi := (SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-0000-0000-000000000000')::uuid
               FROM (SELECT lpad(to_hex((extract(epoch FROM (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC') * 1000)::bigint), 12, '0') AS h) x);
        EXECUTE format('CREATE TABLE %I PARTITION OF alerts FOR VALUES FROM (%L) TO (%L)',
                       'alerts_p' || to_char(month_start, 'YYYYMM'), lo, hi);
    END LOOP;
END $$;

INSERT INTO alerts SELECT * FROM alerts_by_day;
DROP TABLE alerts_by_day;
